"""Score the engine against hand-made gold labels (``corroborate eval``, ``make eval``).

Uses the engine only through its public API: ``engine.annotate(text)``.

Gold lives in ``tests/data/``: ``gold.jsonl`` labels every sentence of the five
seeds, each judged leave-one-out against the other four, and
``planted_gold.jsonl`` labels pages with planted conflicts (changed numbers,
places, leaders, dates, negations) judged against all five seeds. One JSON
object per line::

    {"doc": "002_50f93f27de9db2fa", "start": 203, "end": 406, "text": "...",
     "label": "corroborated" | "mixed" | "contradicted" | "unverified" | null,
     "support": [doc ids], "conflict": [doc ids], "why": "...",
     "alt": [other acceptable labels, optional], "missing": true (optional)}

``label: null`` marks a sentence that is not a claim (no label expected);
``missing: true`` marks a span the claim detector did not list when the gold
was written.

Scores are over three classes: ``corroborated``, ``conflict`` (``mixed`` or
``contradicted``) and ``unverified``. A gold claim the engine leaves out counts
as predicted ``none``; an annotation on a non-claim (or on a span no gold row
covers) is a false claim and counts against the precision of its class.
"""

from __future__ import annotations

from collections import Counter, defaultdict

CLASSES = ("corroborated", "conflict", "unverified")
NONE = "none"


def label_class(label: str | None) -> str:
    """The scoring class of a four-way label (``none`` for no label)."""
    if label in ("mixed", "contradicted"):
        return "conflict"
    if label in ("corroborated", "unverified"):
        return label
    return NONE


def _align(gold: list[dict], predicted: list[dict]) -> tuple[dict[int, int], list[int]]:
    """Match predicted annotations to gold rows of one doc.

    Exact (start, end) first; then, one to one, a prediction overlapping a gold
    span by at least half of both lengths (a sentence split a little
    differently). Returns {gold index: predicted index} and the unmatched
    predictions.
    """
    by_span = {(g["start"], g["end"]): i for i, g in enumerate(gold)}
    matched: dict[int, int] = {}
    loose: list[int] = []
    for j, p in enumerate(predicted):
        i = by_span.get((p["start"], p["end"]))
        if i is not None and i not in matched:
            matched[i] = j
        else:
            loose.append(j)
    unmatched = []
    for j in loose:
        p = predicted[j]
        best, best_overlap = None, 0.0
        for i, g in enumerate(gold):
            if i in matched:
                continue
            overlap = min(p["end"], g["end"]) - max(p["start"], g["start"])
            if overlap <= 0:
                continue
            share = min(overlap / max(1, g["end"] - g["start"]), overlap / max(1, p["end"] - p["start"]))
            if share >= 0.5 and share > best_overlap:
                best, best_overlap = i, share
        if best is None:
            unmatched.append(j)
        else:
            matched[best] = j
    return matched, unmatched


def _docs(items: list[dict], key: str) -> list[str]:
    out = []
    for item in items or []:
        doc = item.get("doc") if isinstance(item, dict) else item
        if doc and doc not in out:
            out.append(doc)
    return out


def predict(engine, docs: list[str], sources: dict[str, str], urls: dict[str, str | None] | None = None) -> dict:
    """Annotate every page once: {doc: annotations}."""
    return {doc: engine.annotate(sources[doc], url=(urls or {}).get(doc))["annotations"] for doc in docs}


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score(items: list[dict]) -> dict:
    """Metrics over aligned items: {gold, pred, gold_ids, pred_ids}."""
    tp: Counter = Counter()
    n_pred: Counter = Counter()
    n_gold: Counter = Counter()
    confusion: dict[str, Counter] = defaultdict(Counter)
    claim_tp = claim_pred = claim_gold = 0
    ev_right = ev_pred = ev_found = ev_gold = 0
    exact = exact_n = 0
    for item in items:
        gold, pred = item["gold"], item["pred"]
        gc, pc = label_class(gold), label_class(pred)
        confusion[gold or "null"][pred or NONE] += 1
        if gc != NONE:
            n_gold[gc] += 1
            claim_gold += 1
            exact_n += 1
            exact += gold == pred
        if pc != NONE:
            n_pred[pc] += 1
            claim_pred += 1
            if gc != NONE:
                claim_tp += 1
            gold_ids = set(item["gold_ids"]) if gc != NONE else set()
            pred_ids = set(item["pred_ids"])
            ev_pred += len(pred_ids)
            ev_right += len(pred_ids & gold_ids)
            if gc != NONE:
                ev_gold += len(gold_ids)
                ev_found += len(pred_ids & gold_ids)
        if gc != NONE and gc == pc:
            tp[gc] += 1
    non_claims_labelled = sum(1 for it in items if label_class(it["gold"]) == NONE and label_class(it["pred"]) != NONE)
    per_label = {}
    for c in CLASSES:
        p = tp[c] / n_pred[c] if n_pred[c] else 0.0
        r = tp[c] / n_gold[c] if n_gold[c] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per_label[c] = {"precision": p, "recall": r, "f1": f, "gold": n_gold[c], "predicted": n_pred[c]}
    present = [c for c in CLASSES if n_gold[c] or n_pred[c]]
    macro = sum(per_label[c]["f1"] for c in present) / len(present) if present else 0.0
    return {
        "n_claims": claim_gold,
        "per_label": per_label,
        "macro_f1": macro,
        "conflict_recall": per_label["conflict"]["recall"],
        "label_accuracy": exact / exact_n if exact_n else 0.0,
        "claim_precision": claim_tp / claim_pred if claim_pred else 0.0,
        "claim_recall": claim_tp / claim_gold if claim_gold else 0.0,
        "evidence_precision": ev_right / ev_pred if ev_pred else 0.0,
        "evidence_recall": ev_found / ev_gold if ev_gold else 0.0,
        "evidence_f1": _f1(ev_right / ev_pred if ev_pred else 0.0, ev_found / ev_gold if ev_gold else 0.0),
        "conflict_precision": per_label["conflict"]["precision"],
        "non_claims_labelled": non_claims_labelled,
        "confusion": {g: dict(row) for g, row in confusion.items()},
    }


def evaluate(engine, gold_rows: list[dict], sources: dict[str, str], urls: dict[str, str | None] | None = None) -> dict:
    """Score ``engine`` on ``gold_rows``.

    Returns the combined metrics at the top level (``macro_f1``,
    ``conflict_recall``, ``per_label``, ...), the same per gold set under
    ``by_set``, and every disagreement under ``disagreements``.
    """
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for row in gold_rows:
        by_doc[row["doc"]].append(row)
    predictions = predict(engine, list(by_doc), sources, urls)
    items: list[dict] = []
    for doc, gold in by_doc.items():
        gold = sorted(gold, key=lambda g: (g["start"], g["end"]))
        predicted = predictions[doc]
        set_name = gold[0].get("set", "gold")
        matched, unmatched = _align(gold, predicted)
        for i, g in enumerate(gold):
            p = predicted[matched[i]] if i in matched else None
            items.append(
                {
                    "set": g.get("set", set_name),
                    "doc": doc,
                    "start": g["start"],
                    "end": g["end"],
                    "text": g["text"],
                    "gold": g["label"],
                    "pred": p["label"] if p else None,
                    "gold_ids": list(g.get("support", [])) + list(g.get("conflict", [])),
                    "pred_ids": (_docs(p.get("support"), "doc") + _docs(p.get("conflict"), "doc")) if p else [],
                    "gold_support": g.get("support", []),
                    "gold_conflict": g.get("conflict", []),
                    "pred_support": _docs(p.get("support"), "doc") if p else [],
                    "pred_conflict": _docs(p.get("conflict"), "doc") if p else [],
                    "conflict_values": [c.get("values") for c in (p.get("conflict") or [])] if p else [],
                    "why": g.get("why", ""),
                    "alt": g.get("alt") or [],
                }
            )
        for j in unmatched:
            p = predicted[j]
            items.append(
                {
                    "set": set_name,
                    "doc": doc,
                    "start": p["start"],
                    "end": p["end"],
                    "text": p["text"],
                    "gold": None,
                    "pred": p["label"],
                    "gold_ids": [],
                    "pred_ids": _docs(p.get("support"), "doc") + _docs(p.get("conflict"), "doc"),
                    "gold_support": [],
                    "gold_conflict": [],
                    "pred_support": _docs(p.get("support"), "doc"),
                    "pred_conflict": _docs(p.get("conflict"), "doc"),
                    "conflict_values": [c.get("values") for c in (p.get("conflict") or [])],
                    "why": "no gold row for this span (not a claim)",
                    "alt": [],
                }
            )
    result = summarise(items)
    return result


def summarise(items: list[dict]) -> dict:
    """The metrics of aligned items, overall and per set, with the disagreements listed."""
    result = score(items)
    result["items"] = items
    sets = sorted({item["set"] for item in items})
    result["by_set"] = {name: score([it for it in items if it["set"] == name]) for name in sets}
    result["disagreements"] = [
        it
        for it in sorted(items, key=lambda it: (it["set"], it["doc"], it["start"]))
        if label_class(it["gold"]) != label_class(it["pred"])
    ]
    result["label_disagreements"] = [
        it for it in items if it["gold"] != it["pred"] and label_class(it["gold"]) == label_class(it["pred"])
    ]
    return result


TABLE_HEADER = (
    f"{'set':<12}{'split':<7}{'claims':>7}{'macro-F1':>9}{'conflict R':>11}{'conflict P':>11}"
    f"{'evidence F1':>12}{'4-label':>8}{'non-claims labelled':>20}"
)


def table_row(name: str, split: str, m: dict) -> str:
    """One line of the per-set table ``make eval`` prints."""
    return (
        f"{name:<12}{split:<7}{m['n_claims']:>7}{m['macro_f1']:>9.2f}{m['conflict_recall']:>11.2f}"
        f"{m['conflict_precision']:>11.2f}{m['evidence_f1']:>12.2f}{m['label_accuracy']:>8.2f}"
        f"{m['non_claims_labelled']:>20}"
    )


def _fmt(x: float) -> str:
    return f"{x:.2f}"


def format_metrics(name: str, m: dict) -> list[str]:
    lines = [f"== {name}: {m['n_claims']} gold claims"]
    lines.append(f"   {'class':<13}{'prec':>6}{'rec':>6}{'F1':>6}{'gold':>6}{'pred':>6}")
    for c in CLASSES:
        pl = m["per_label"][c]
        lines.append(
            f"   {c:<13}{_fmt(pl['precision']):>6}{_fmt(pl['recall']):>6}{_fmt(pl['f1']):>6}"
            f"{pl['gold']:>6}{pl['predicted']:>6}"
        )
    lines.append(
        f"   macro-F1 {_fmt(m['macro_f1'])}   conflict recall {_fmt(m['conflict_recall'])}   "
        f"4-label accuracy {_fmt(m['label_accuracy'])}"
    )
    lines.append(f"   claim detection: precision {_fmt(m['claim_precision'])}  recall {_fmt(m['claim_recall'])}")
    lines.append(f"   evidence: precision {_fmt(m['evidence_precision'])}  recall {_fmt(m['evidence_recall'])}")
    order = ["corroborated", "mixed", "contradicted", "unverified", "null"]
    cols = ["corroborated", "mixed", "contradicted", "unverified", NONE]
    lines.append("   confusion (rows gold, columns predicted):")
    lines.append("   " + f"{'':<13}" + "".join(f"{c[:6]:>8}" for c in cols))
    for g in order:
        row = m["confusion"].get(g)
        if row:
            lines.append("   " + f"{g:<13}" + "".join(f"{row.get(c, 0):>8}" for c in cols))
    return lines


def _short(doc_ids: list[str]) -> str:
    return ",".join(d.split("_")[0] if d[:3].isdigit() else d for d in doc_ids) or "-"


def format_disagreement(it: dict) -> str:
    text = " ".join(it["text"].split())
    if len(text) > 110:
        text = text[:107] + "..."
    alt = "  (gold alt: " + "/".join(str(a) for a in it["alt"]) + ")" if it["alt"] else ""
    values = [v for v in it["conflict_values"] if v]
    vals = "  values " + "; ".join(f"{v.get('page')!r} vs {v.get('report')!r}" for v in values) if values else ""
    return (
        f"- [{it['set']}] {it['doc'][:24]} @{it['start']}: {text}\n"
        f"    gold {it['gold']} (+{_short(it['gold_support'])} -{_short(it['gold_conflict'])})"
        f"  predicted {it['pred'] or NONE} (+{_short(it['pred_support'])} -{_short(it['pred_conflict'])}){alt}\n"
        f"    why: {it['why']}{vals}"
    )
