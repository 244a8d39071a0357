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
  {
    version: 2,
    description: 'trace_groups: source/category counts kept by triggers, so the tree and plain counts never scan the traces',
    up: `
CREATE TABLE trace_groups (
  source TEXT NOT NULL,
  category TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (source, category)
) WITHOUT ROWID;
INSERT INTO trace_groups (source, category, n) SELECT source, category, count(*) FROM traces GROUP BY source, category;
CREATE TRIGGER trace_groups_insert AFTER INSERT ON traces BEGIN
  INSERT INTO trace_groups (source, category, n) VALUES (new.source, new.category, 1)
    ON CONFLICT (source, category) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER trace_groups_delete AFTER DELETE ON traces BEGIN
  UPDATE trace_groups SET n = n - 1 WHERE source = old.source AND category = old.category;
  DELETE FROM trace_groups WHERE source = old.source AND category = old.category AND n <= 0;
END;
CREATE TRIGGER trace_groups_update AFTER UPDATE OF source, category ON traces BEGIN
  UPDATE trace_groups SET n = n - 1 WHERE source = old.source AND category = old.category;
  DELETE FROM trace_groups WHERE source = old.source AND category = old.category AND n <= 0;
  INSERT INTO trace_groups (source, category, n) VALUES (new.source, new.category, 1)
    ON CONFLICT (source, category) DO UPDATE SET n = n + 1;
END;`,
  },
  {
    version: 3,
    description: 'trace_meta_values: how many traces hold each meta key = value, kept by triggers for filter pickers',
    // `value` is the scalar itself (JSON text for objects and arrays, '' for null); `type` is
    // json_each's type, so 1, true and "1" stay apart.
    up: `
CREATE TABLE trace_meta_values (
  key TEXT NOT NULL,
  type TEXT NOT NULL,
  value NOT NULL, -- no declared type: no affinity, so the text '1' stays text
  n INTEGER NOT NULL,
  PRIMARY KEY (key, type, value)
) WITHOUT ROWID;
INSERT INTO trace_meta_values (key, type, value, n)
  SELECT j.key, j.type, CASE WHEN j.type IN ('object', 'array') THEN j.value WHEN j.type = 'null' THEN '' ELSE j.atom END, count(*)
  FROM traces t, json_each(t.meta) j WHERE t.meta IS NOT NULL GROUP BY 1, 2, 3;
CREATE TRIGGER trace_meta_values_insert AFTER INSERT ON traces WHEN new.meta IS NOT NULL BEGIN
  INSERT INTO trace_meta_values (key, type, value, n)
    SELECT key, type, CASE WHEN type IN ('object', 'array') THEN value WHEN type = 'null' THEN '' ELSE atom END, 1 FROM json_each(new.meta) WHERE true
    ON CONFLICT (key, type, value) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER trace_meta_values_delete AFTER DELETE ON traces WHEN old.meta IS NOT NULL BEGIN
  UPDATE trace_meta_values SET n = n - 1 WHERE (key, type, value) IN
    (SELECT key, type, CASE WHEN type IN ('object', 'array') THEN value WHEN type = 'null' THEN '' ELSE atom END FROM json_each(old.meta));
  DELETE FROM trace_meta_values WHERE n <= 0 AND (key, type, value) IN
    (SELECT key, type, CASE WHEN type IN ('object', 'array') THEN value WHEN type = 'null' THEN '' ELSE atom END FROM json_each(old.meta));
END;
CREATE TRIGGER trace_meta_values_update AFTER UPDATE OF meta ON traces BEGIN
  UPDATE trace_meta_values SET n = n - 1 WHERE old.meta IS NOT NULL AND (key, type, value) IN
    (SELECT key, type, CASE WHEN type IN ('object', 'array') THEN value WHEN type = 'null' THEN '' ELSE atom END FROM json_each(old.meta));
  DELETE FROM trace_meta_values WHERE n <= 0;
  INSERT INTO trace_meta_values (key, type, value, n)
    SELECT key, type, CASE WHEN type IN ('object', 'array') THEN value WHEN type = 'null' THEN '' ELSE atom END, 1 FROM json_each(new.meta) WHERE new.meta IS NOT NULL
    ON CONFLICT (key, type, value) DO UPDATE SET n = n + 1;
END;`,
  },
  {
    version: 4,
    description: 'trace_meta_index: which traces hold each meta key = value, kept by triggers, so a filter on a rare value needs no scan',
    // The same (key, type, value) as trace_meta_values, one row per trace: a filter reads the
    // traces it matches from the primary key instead of parsing every trace's meta.
    up: `
CREATE TABLE trace_meta_index (
  key TEXT NOT NULL,
  type TEXT NOT NULL,
  value NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (key, type, value, seq)
) WITHOUT ROWID;
INSERT INTO trace_meta_index (key, type, value, seq)
  SELECT j.key, j.type, CASE WHEN j.type IN ('object', 'array') THEN j.value WHEN j.type = 'null' THEN '' ELSE j.atom END, t.seq
  FROM traces t, json_each(t.meta) j WHERE t.meta IS NOT NULL;
CREATE TRIGGER trace_meta_index_insert AFTER INSERT ON traces WHEN new.meta IS NOT NULL BEGIN
  INSERT INTO trace_meta_index (key, type, value, seq)
    SELECT key, type, CASE WHEN type IN ('object', 'array') THEN value WHEN type = 'null' THEN '' ELSE atom END, new.seq FROM json_each(new.meta);
END;
CREATE TRIGGER trace_meta_index_delete AFTER DELETE ON traces WHEN old.meta IS NOT NULL BEGIN
  DELETE FROM trace_meta_index WHERE (key, type, value, seq) IN
    (SELECT key, type, CASE WHEN type IN ('object', 'array') THEN value WHEN type = 'null' THEN '' ELSE atom END, old.seq FROM json_each(old.meta));
END;
CREATE TRIGGER trace_meta_index_update AFTER UPDATE OF meta ON traces BEGIN
  DELETE FROM trace_meta_index WHERE old.meta IS NOT NULL AND (key, type, value, seq) IN
    (SELECT key, type, CASE WHEN type IN ('object', 'array') THEN value WHEN type = 'null' THEN '' ELSE atom END, old.seq FROM json_each(old.meta));
  INSERT INTO trace_meta_index (key, type, value, seq)
    SELECT key, type, CASE WHEN type IN ('object', 'array') THEN value WHEN type = 'null' THEN '' ELSE atom END, new.seq FROM json_each(new.meta) WHERE new.meta IS NOT NULL;
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
