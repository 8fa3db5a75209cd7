-- Holdout experiments (docs/experiments.md). No personal data: a visitor is kept only as a keyed
-- hash (HMAC-SHA256 with a key derived from RECEIPT_SECRET, per experiment), never the id itself.

-- One row per visitor and experiment: the first exposure. Isolates add their buffered exposures
-- with INSERT … ON CONFLICT DO NOTHING, so a visitor who comes back counts once.
-- variant: 0 control, 1 personalised. first_seen: Unix seconds.
CREATE TABLE experiment_exposures (
  experiment TEXT NOT NULL,
  visitor TEXT NOT NULL,
  variant INTEGER NOT NULL,
  segment INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  PRIMARY KEY (experiment, visitor)
) WITHOUT ROWID;

-- One row per converted visitor and experiment: a second conversion is ignored.
CREATE TABLE experiment_conversions (
  experiment TEXT NOT NULL,
  visitor TEXT NOT NULL,
  value REAL,
  at INTEGER NOT NULL,
  PRIMARY KEY (experiment, visitor)
) WITHOUT ROWID;

-- What the results read: per experiment, variant and segment, unique visitors, converted visitors
-- and the sum of conversion values, kept by the triggers below so reading results costs a few rows.
CREATE TABLE experiment_counts (
  experiment TEXT NOT NULL,
  variant INTEGER NOT NULL,
  segment INTEGER NOT NULL,
  visitors INTEGER NOT NULL,
  conversions INTEGER NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (experiment, variant, segment)
) WITHOUT ROWID;

-- A new visitor (an ignored duplicate fires nothing) adds one visitor to their cell.
CREATE TRIGGER experiment_exposed AFTER INSERT ON experiment_exposures
BEGIN
  INSERT INTO experiment_counts (experiment, variant, segment, visitors, conversions, value)
  VALUES (NEW.experiment, NEW.variant, NEW.segment, 1, 0, 0)
  ON CONFLICT (experiment, variant, segment) DO UPDATE SET visitors = visitors + 1;
END;

-- A first conversion adds to the cell of the visitor's exposure (always present: the conversion's
-- receipt inserts its exposure first, in the same batch).
CREATE TRIGGER experiment_converted AFTER INSERT ON experiment_conversions
BEGIN
  INSERT INTO experiment_counts (experiment, variant, segment, visitors, conversions, value)
  SELECT experiment, variant, segment, 0, 1, COALESCE(NEW.value, 0)
  FROM experiment_exposures WHERE experiment = NEW.experiment AND visitor = NEW.visitor
  ON CONFLICT (experiment, variant, segment) DO UPDATE
  SET conversions = conversions + 1, value = value + excluded.value;
END;
