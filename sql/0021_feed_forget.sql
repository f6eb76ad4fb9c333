-- 0021_feed_forget.sql — a feed's remembered body is forgotten by the
-- writes that make it stale, instead of checked against change marks on
-- every poll (0020). A committed write clears the cache key of the feeds
-- of its event and of its organization's roll-ups (of every feed of the
-- organization for its own entries); a poll whose key is still there
-- answers 304 from the token row and its owner's, without reading the
-- marks: their sum cost a poll more than the rest of it together. A
-- request that makes a body claims the key first (a "~" value) and stores
-- its own only if its claim was neither forgotten nor taken over.
DROP TABLE change_marks;
-- The writes' forgetting: the tokens of a scope that hold a key or a
-- claim, found without touching the others.
ALTER TABLE feed_token
  ADD KEY feed_token_scope_cache (scope_org_id, scope_event_id, cache_key);
-- Keys made under 0020 named the marks; none of them is made again.
UPDATE feed_token SET cache_key = NULL;
