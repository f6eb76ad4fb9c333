-- 0016_schedule_span_indexes.sql — reading one range of days of an
-- event's schedule (the day, week and month views, feeds with a window)
-- without reading every activity of the event (model/activity.c
-- q_list_rg):
--   * timed single activities lasting at most a day (nearly all) start
--     at most a day before the range: found by their start, a few days'
--     worth of index entries; the longer ones (up to 31 days) by their
--     end, among the event's long ones only. span_long tells them apart
--     and is kept by the database itself;
--   * all-day single activities by their last day;
--   * series by their kind (every series of the event);
--   * occurrences moved by an exception by their end.
-- Each index holds the columns its condition tests, so the range is
-- decided in the index alone.
ALTER TABLE activities
  ADD COLUMN span_long TINYINT(1)
    AS (IF(end_utc > start_utc + INTERVAL 1 DAY, 1, 0)) STORED,
  ADD KEY activities_timed_span
    (event_id, rec_freq, all_day, span_long, start_utc, end_utc),
  ADD KEY activities_day_span (event_id, rec_freq, all_day, end_date, start_date);
ALTER TABLE activity_exceptions
  ADD KEY activity_exceptions_span (event_id, end_utc, start_utc);
