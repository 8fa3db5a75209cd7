-- Each population's always-valid p-value, as the running minimum over the looks taken at the
-- results (worker/experiments/p-values.ts): per experiment and segment, -1 for the whole experiment.
CREATE TABLE experiment_p_values (
  experiment TEXT NOT NULL,
  segment INTEGER NOT NULL,
  p REAL NOT NULL,
  PRIMARY KEY (experiment, segment)
) WITHOUT ROWID;
