-- 0013_audit_changes.sql — room in an audit entry for what a removal
-- deletes. Removing an advance or an advance module keeps the removed
-- answers' values in its entry (PRODUCT §13.4); one long-text answer
-- alone may pass the 64 KiB of TEXT.
ALTER TABLE audit_log MODIFY changes MEDIUMTEXT NULL;
