import { describe, expect, it } from 'vitest';
import { lossInfo } from '../losses/registry';
import { CHAPTERS } from './chapters';
import { GLOSSARY, termAnchor, termSegments, type Segment } from './glossary';

const joined = (segments: Segment[]) => segments.map((s) => (typeof s === 'string' ? s : s.text)).join('');
const linked = (segments: Segment[]) => segments.flatMap((s) => (typeof s === 'string' ? [] : [s.text]));

describe('the tour’s glossary', () => {
  it('each term has a unique key and anchor, a definition, and names a loss of the registry when it has one', () => {
    expect(new Set(GLOSSARY.map((t) => t.key)).size).toBe(GLOSSARY.length);
    for (const t of GLOSSARY) {
      expect(t.definition.length, t.key).toBeGreaterThan(20);
      expect(t.forms.length, t.key).toBeGreaterThan(0);
      if (t.loss) expect(lossInfo(t.loss), t.key).toBeDefined();
      expect(termAnchor(t)).toMatch(/^(loss|term)-[\w-]+$/);
    }
  });

  it('links the first whole use of each term once, and never a term inside a longer one', () => {
    const seen = new Set<string>();
    const text = 'BCE and −log IoU beat 1 − IoU; the IoU and mIoU of BCE.';
    const segments = termSegments(text, seen);
    expect(joined(segments)).toBe(text);
    expect(linked(segments)).toEqual(['BCE', '−log IoU', '1 − IoU', 'IoU', 'mIoU']);
    // A later paragraph of the same chapter links only what is new.
    expect(linked(termSegments('The IoU of a logit, and the logits.', seen))).toEqual(['logit']);
  });

  it('every term is used in the tour, and every chapter’s text survives the linking unchanged', () => {
    const used = new Set<string>();
    for (const c of CHAPTERS) {
      const seen = new Set<string>();
      for (const p of c.text) expect(joined(termSegments(p, seen)), c.slug).toBe(p);
      for (const k of seen) used.add(k);
    }
    for (const t of GLOSSARY) expect(used, `${t.key} is never used`).toContain(t.key);
  });
});
