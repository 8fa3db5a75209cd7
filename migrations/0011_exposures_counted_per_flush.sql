-- Exposures are counted by the statement that writes them (worker/experiments/exposure-sql.ts):
-- one aggregate upsert per flush into experiment_counts, for the visitors the flush is the first
-- to write, instead of a trigger firing one upsert per inserted row. Conversions keep their trigger.
DROP TRIGGER experiment_exposed;
