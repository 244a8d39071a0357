#!/usr/bin/env python3
"""Writes the golden export files from input.jsonl, independently of the TypeScript code.

The expected lines follow docs/architecture.md ("Dataset export formats") and are serialized with
Python's own json.dumps, as tunix-rt serialized its exports, so the TypeScript exporter is
checked against the real thing rather than against itself. Run from this folder:
    python3 make_golden.py
"""
import json

INSTRUCTION = "\n\nPlease show your reasoning steps."


def model_turn(record):
    steps = [s["content"] for s in record["steps"]]
    text = ""
    if steps:
        text = "Reasoning:\n" + "".join(f"{k}. {s}\n" for k, s in enumerate(steps, 1))
    return text + f"Answer: {record['final_answer']}"


def sft_text(record):
    return f"<start_of_turn>user\n{record['prompt']}<end_of_turn>\n<start_of_turn>model\n{model_turn(record)}<end_of_turn>"


def metadata(row, source_trace_id=None, fmt=None):
    """{[source_trace_id], created_at, trace_version, [format], **meta}: a meta key of the same
    name replaces the value in place, as a Python dict update does."""
    m = {}
    if source_trace_id is not None:
        m["source_trace_id"] = source_trace_id
    m["created_at"] = row["created_at"]
    m["trace_version"] = row["record"]["trace_version"]
    if fmt is not None:
        m["format"] = fmt
    m.update(row["record"]["meta"] or {})
    return m


def lines(fmt, row):
    r = row["record"]
    if fmt == "trace":
        return {"id": row["id"], "prompts": r["prompt"], "trace_steps": [s["content"] for s in r["steps"]], "final_answer": r["final_answer"], "metadata": metadata(row)}
    if fmt == "tunix_sft":
        return {"id": row["id"], "prompts": sft_text(r), "final_answer": r["final_answer"], "metadata": metadata(row, fmt="tunix_sft")}
    if fmt == "training_example":
        return {"id": row["example_id"], "prompt": r["prompt"] + INSTRUCTION, "response": model_turn(r), "metadata": metadata(row, source_trace_id=row["id"])}
    if fmt == "messages":
        return {"id": row["id"], "messages": [{"role": "user", "content": r["prompt"]}, {"role": "assistant", "content": model_turn(r)}], "metadata": metadata(row, fmt="messages")}
    if fmt == "eval_items":
        item = {"id": row["id"], "prompt": r["prompt"], "expected_answer": r["final_answer"]}
        for key in ("section", "category", "difficulty"):
            v = (r["meta"] or {}).get(key)
            if isinstance(v, str) and v:
                item[key] = v
        return item
    raise ValueError(fmt)


rows = [json.loads(l) for l in open("input.jsonl", encoding="utf-8") if l.strip()]
for fmt in ("trace", "tunix_sft", "training_example", "messages", "eval_items"):
    with open(f"{fmt}.jsonl", "w", encoding="utf-8", newline="") as f:
        for row in rows:
            f.write(json.dumps(lines(fmt, row)) + "\n")
