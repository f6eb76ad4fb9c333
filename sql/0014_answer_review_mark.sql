-- 0014_answer_review_mark.sql — which saved value of an answer was
-- reviewed (PRODUCT §13.6): a review marks the newest history row, so a
-- later change can show staff the value they last reviewed beside the
-- new one ("what changed") however many saves came in between.
ALTER TABLE answer_history
  ADD COLUMN reviewed_by BIGINT UNSIGNED NULL,
  ADD COLUMN reviewed_at DATETIME(3) NULL;
