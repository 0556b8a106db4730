// The trace's result (cli.md, `trace --json` version 2) from what was followed and measured:
// delivered as ping said it, the hops of both legs, the place of loss with its leg and probe,
// and the cause. When ping and the source's own capture disagree about the answer, the result
// says so rather than pick one.

import type { Followed, LossPlace } from './follow';
import type { Diagnosis } from './diagnose';
import type { TraceLegs } from './legs';
import type { LostBetween, TraceResultV2 } from './traceResultV2';

export function lostBetweenOf(loss: LossPlace | undefined, legs: TraceLegs): LostBetween | null {
  if (!loss) return null;
  const source = { host: legs.request.from.host, interface: legs.request.from.interface };
  switch (loss.kind) {
    case 'nothing-left':
    case 'outside-lab':
      return { direction: 'request', probe: loss.probe, from: source, to: source };
    case 'unanswered': {
      const last = loss.leg.points[loss.leg.points.length - 1];
      const destination = { host: last.host, interface: last.interface };
      return { direction: 'reply', probe: loss.probe, from: destination, to: { ...destination } };
    }
    case 'between': {
      const a = loss.leg.points[loss.from];
      const b = loss.leg.points[loss.from + 1];
      return { direction: loss.direction, probe: loss.probe, from: { host: a.host, interface: a.interface }, to: { host: b.host, interface: b.interface }, segment: loss.link.name };
    }
  }
}

export interface VerdictInput {
  legs: TraceLegs;
  followed: Followed;
  /** ping -c 1's exit status: 0 when it got its answer. */
  pingCode: number | null;
  diagnosis?: Diagnosis;
  /** Why points could not be watched, as hints. */
  watchProblems: string[];
  elapsedMs: number;
}

export const DISAGREEMENT_SEEN_NOT_PINGED = 'the source captured the echo reply, yet ping reported no answer';
export const DISAGREEMENT_PINGED_NOT_SEEN = "ping got its answer, but the source's capture did not show the echo reply";

export function traceVerdict(input: VerdictInput): TraceResultV2 {
  const { legs, followed } = input;
  const delivered = input.pingCode === 0;
  const hints = [...input.watchProblems];
  if (delivered && !followed.replyAtSource) hints.push(`${DISAGREEMENT_PINGED_NOT_SEEN}: the trace's capture missed frames (please report this as a bug of Overlay Lab)`);
  let lostBetween = delivered ? null : lostBetweenOf(followed.loss, legs);
  let cause = delivered ? null : (input.diagnosis?.cause ?? { kind: 'unknown' as const, confidence: 'unknown' as const, evidence: ['nothing was measured'] });
  if (!delivered && followed.replyAtSource) {
    const source = { host: legs.request.from.host, interface: legs.request.from.interface };
    lostBetween = { direction: 'reply', probe: 'icmp', from: source, to: source };
    cause = input.diagnosis?.cause ?? { kind: 'unknown', confidence: 'unknown', evidence: [`${DISAGREEMENT_SEEN_NOT_PINGED} (exit status ${input.pingCode ?? 'none'}): please report this as a bug of Overlay Lab`] };
  }
  if (!delivered) hints.push(...(input.diagnosis?.hints ?? []));
  return {
    version: 2,
    from: legs.request.from,
    to: legs.request.to,
    delivered,
    probes: followed.probes,
    hops: followed.hops,
    lostBetween,
    cause,
    hints,
    elapsedMs: input.elapsedMs,
  };
}
