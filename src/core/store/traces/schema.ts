// The tables of the 'traces' and 'scores' domains.
//
// traces: one row per stored trace. Steps are kept as `steps_text` (contents joined by
// "\n", what full-text search indexes) plus `steps_layout` (JSON [[i, type, length], ...]),
// so the search index reads the text from the table itself (FTS4 external content) instead
// of keeping a second copy of every trace. `source` and `category` are copied out of `meta`
// ('' when absent) for the tree's grouping and indexed sorts; `seq` is insertion order and
// the tie-breaker of every keyset cursor.
import { registerMigrations } from '../migrations';

registerMigrations('traces', [
  {
    version: 1,
    description: 'traces, full-text index (FTS4), grouping and sort indexes',
    up: `
CREATE TABLE traces (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  content_hash TEXT NOT NULL UNIQUE,
  trace_version TEXT NOT NULL,
  prompt TEXT NOT NULL,
  steps_text TEXT NOT NULL,
  steps_layout TEXT NOT NULL,
  final_answer TEXT NOT NULL,
  meta TEXT,
  source TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  step_count INTEGER NOT NULL,
  imported_at TEXT NOT NULL,
  origin TEXT
);
CREATE INDEX traces_by_source ON traces(source, category, seq);
CREATE INDEX traces_by_category ON traces(category, seq);
CREATE INDEX traces_by_steps ON traces(step_count, seq);
CREATE VIRTUAL TABLE traces_fts USING fts4(content="traces", prompt, steps_text, final_answer, tokenize=unicode61 "remove_diacritics=2");
CREATE TRIGGER traces_fts_insert AFTER INSERT ON traces BEGIN
  INSERT INTO traces_fts(docid, prompt, steps_text, final_answer) VALUES (new.seq, new.prompt, new.steps_text, new.final_answer);
END;
CREATE TRIGGER traces_fts_delete BEFORE DELETE ON traces BEGIN
  DELETE FROM traces_fts WHERE docid = old.seq;
END;
CREATE TRIGGER traces_fts_update_before BEFORE UPDATE OF prompt, steps_text, final_answer ON traces BEGIN
  DELETE FROM traces_fts WHERE docid = old.seq;
END;
CREATE TRIGGER traces_fts_update_after AFTER UPDATE OF prompt, steps_text, final_answer ON traces BEGIN
  INSERT INTO traces_fts(docid, prompt, steps_text, final_answer) VALUES (new.seq, new.prompt, new.steps_text, new.final_answer);
END;`,
  },
]);

registerMigrations('scores', [
  {
    version: 1,
    description: 'scores per trace and criteria (baseline, judges), removed with their trace',
    up: `
CREATE TABLE scores (
  trace_id TEXT NOT NULL,
  criteria TEXT NOT NULL,
  score REAL NOT NULL,
  details TEXT,
  scored_at TEXT NOT NULL,
  PRIMARY KEY (trace_id, criteria)
) WITHOUT ROWID;
CREATE INDEX scores_by_criteria ON scores(criteria, score);
CREATE TRIGGER scores_follow_trace_delete AFTER DELETE ON traces BEGIN
  DELETE FROM scores WHERE trace_id = old.id;
END;`,
  },
]);
