// Score normalization shared by plugins (upstream helper.DefaultNormalizeScore).
import { MAX_NODE_SCORE } from '../types';

/** Scales scores to 0–100 by the highest; `reverse` turns high raw scores into low ones. All zero stays zero (or 100 reversed). */
export function defaultNormalizeScore(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const s = Math.trunc((MAX_NODE_SCORE * scores[i]) / max);
    scores[i] = reverse ? MAX_NODE_SCORE - s : s;
  }
}
