-- Live monitoring (docs/monitoring.md). Only counts are stored: never a record or a field value.

-- What the edge scored, per model version and hour (hour = Unix time / 3600, UTC).
-- kind: 'source' (name = single|batch|segment|embed|webhook|dashboard, bin 0),
--       'segment' (name '', bin = segment id),
--       'score' (name = target, bin 0..19: 20 equal bins of probability),
--       'input' (name = input, bin = the training bin; see the model's `monitoring.inputs`).
-- Each isolate adds its buffered counts with INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n,
-- so concurrent flushes add up exactly.
CREATE TABLE counts (
  model TEXT NOT NULL,
  hour INTEGER NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  bin INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (model, hour, kind, name, bin)
) WITHOUT ROWID;

-- Outcomes reported against receipts, per model version, target, segment, probability bin
-- (1,000 equal bins, bin = floor(p * 1000)) and label: enough for live ROC-AUC, calibration and
-- conversion by segment.
CREATE TABLE outcome_counts (
  model TEXT NOT NULL,
  target TEXT NOT NULL,
  segment INTEGER NOT NULL,
  bin INTEGER NOT NULL,
  label INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (model, target, segment, bin, label)
) WITHOUT ROWID;

-- One row per receipt and target already counted (the receipt's nonce): its primary key makes a
-- replay count nothing. Rows whose receipt has expired (issued > 90 days ago) may be deleted.
CREATE TABLE outcome_receipts (
  receipt TEXT NOT NULL,
  target TEXT NOT NULL,
  model TEXT NOT NULL,
  segment INTEGER NOT NULL,
  bin INTEGER NOT NULL,
  label INTEGER NOT NULL,
  issued INTEGER NOT NULL,
  PRIMARY KEY (receipt, target)
) WITHOUT ROWID;

-- A receipt counted for the first time adds to its counts; an ignored duplicate fires nothing.
CREATE TRIGGER outcome_counted AFTER INSERT ON outcome_receipts
BEGIN
  INSERT INTO outcome_counts (model, target, segment, bin, label, n)
  VALUES (NEW.model, NEW.target, NEW.segment, NEW.bin, NEW.label, 1)
  ON CONFLICT (model, target, segment, bin, label) DO UPDATE SET n = n + 1;
END;

-- Alerts already sent: one per model version and condition (e.g. 'input:age', 'segments', 'score:purchase', 'auc:purchase').
CREATE TABLE alerts_sent (
  model TEXT NOT NULL,
  condition TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  PRIMARY KEY (model, condition)
) WITHOUT ROWID;
