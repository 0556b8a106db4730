// Following the probes ping sent through the frames each capture point saw: which point saw the
// ARP request and its reply, the echo request and its reply, and where the last probe stopped.
// Pure: it reads parsed tcpdump frames (src/capture/frameParser.ts), so it is tested on
// recorded tcpdump text.

import type { CaptureFrame, FrameHeader } from '../capture/types';
import type { CapturePoint, ExpectedPath, PathLink } from './expectedPath';
import type { TraceLegs } from './legs';
import type { TraceDirection, TraceHopV2, TraceProbe } from './traceResultV2';

export interface ProbeIdentity {
  /** The source's address and MAC, the destination's address. */
  from: string;
  fromMac?: string;
  to: string;
}

/** The frame a probe travels as at this point: the inner frame inside a tunnel. */
export function carried(frame: CaptureFrame): FrameHeader {
  return frame.encapsulated && frame.inner ? frame.inner : frame;
}

/** Whether a frame is this probe's frame, on this leg. `icmpId` narrows echoes to this very ping. */
export function isProbeFrame(frame: CaptureFrame, probe: TraceProbe, direction: TraceDirection, who: ProbeIdentity, icmpId?: number): boolean {
  const h = carried(frame);
  if (probe === 'arp') {
    if (direction === 'request') return h.arp === 'request' && h.dst === who.to && h.src === who.from;
    return h.arp === 'reply' && h.src === who.to && (who.fromMac === undefined || h.dstMac?.toLowerCase() === who.fromMac.toLowerCase());
  }
  const message = direction === 'request' ? 'echo request' : 'echo reply';
  const [src, dst] = direction === 'request' ? [who.from, who.to] : [who.to, who.from];
  return h.icmp?.message === message && h.src === src && h.dst === dst && (icmpId === undefined || h.icmp.id === icmpId);
}

/** The ICMP id of the echo request the source sent (the first one it captured). */
export function icmpIdSent(sourceFrames: readonly CaptureFrame[], who: ProbeIdentity): number | undefined {
  return sourceFrames.map(carried).find((h) => h.icmp?.message === 'echo request' && h.src === who.from && h.dst === who.to)?.icmp?.id;
}

export interface LegSighting {
  direction: TraceDirection;
  probe: TraceProbe;
  /** Per point of the leg, in path order: the probe frames it saw. */
  frames: CaptureFrame[][];
}

/** Where the last probe stopped, in the terms of its leg's expected path. */
export type LossPlace =
  /** The source sent nothing at all (no route, interface down, ping refused). */
  | { kind: 'nothing-left'; probe: TraceProbe; leg: ExpectedPath }
  /** The destination is outside the lab: the trace cannot follow it beyond the source. */
  | { kind: 'outside-lab'; probe: TraceProbe; leg: ExpectedPath }
  /** Seen at leg.points[from], not at leg.points[from + 1]; link lies between them. */
  | { kind: 'between'; probe: TraceProbe; direction: TraceDirection; leg: ExpectedPath; from: number; link: PathLink; seen: CaptureFrame[] }
  /** The destination got the request and sent no answer. */
  | { kind: 'unanswered'; probe: TraceProbe; leg: ExpectedPath; seen: CaptureFrame[] };

export interface Followed {
  probes: TraceProbe[];
  hops: TraceHopV2[];
  sightings: LegSighting[];
  /** The source saw this ping's echo reply come back. */
  replyAtSource: boolean;
  icmpId?: number;
  /** Undefined when the source saw the answer. */
  loss?: LossPlace;
}

export function followProbes(legs: TraceLegs, framesAt: readonly (readonly CaptureFrame[])[], who: ProbeIdentity, errors: readonly (string | undefined)[] = []): Followed {
  const request = legs.request;
  const sourceFrames = framesAt[legs.requestPoints[0]] ?? [];
  const icmpId = icmpIdSent(sourceFrames, who);
  const probes: TraceProbe[] = [];
  if (sourceFrames.some((f) => isProbeFrame(f, 'arp', 'request', who))) probes.push('arp');
  if (icmpId !== undefined) probes.push('icmp');

  const sightings: LegSighting[] = [];
  const hops: TraceHopV2[] = [];
  const sight = (probe: TraceProbe, direction: TraceDirection, leg: ExpectedPath, indexes: number[]): LegSighting => {
    const frames = indexes.map((i) => (framesAt[i] ?? []).filter((f) => isProbeFrame(f, probe, direction, who, probe === 'icmp' ? icmpId : undefined)));
    leg.points.forEach((point: CapturePoint, i) => {
      const error = errors[indexes[i]];
      hops.push({ direction, probe, host: point.host, interface: point.interface, seen: frames[i].length > 0, encapsulated: point.encapsulated, count: frames[i].length, ...(error ? { error } : {}) });
    });
    const sighting = { direction, probe, frames };
    sightings.push(sighting);
    return sighting;
  };

  if (probes.length === 0) {
    // Nothing left: the path is still listed (as the echo ping would have taken) to show where it was watched.
    sight('icmp', 'request', request, legs.requestPoints);
    return { probes, hops, sightings, replyAtSource: false, loss: { kind: request.toHost ? 'nothing-left' : 'outside-lab', probe: 'icmp', leg: request } };
  }
  let loss: LossPlace | undefined;
  let replyAtSource = false;
  for (const probe of probes) {
    const asked = sight(probe, 'request', request, legs.requestPoints);
    const last = lastSeen(asked.frames);
    const arrived = request.toHost !== undefined && last === request.points.length - 1;
    let probeLoss: LossPlace | undefined;
    if (!request.toHost) probeLoss = { kind: 'outside-lab', probe, leg: request };
    else if (!arrived) probeLoss = { kind: 'between', probe, direction: 'request', leg: request, from: last, link: request.links[last], seen: asked.frames[last] };
    else if (legs.reply) {
      const answered = sight(probe, 'reply', legs.reply, legs.replyPoints);
      const back = lastSeen(answered.frames);
      if (back < 0) probeLoss = { kind: 'unanswered', probe, leg: request, seen: asked.frames[last] };
      else if (back < legs.reply.points.length - 1) probeLoss = { kind: 'between', probe, direction: 'reply', leg: legs.reply, from: back, link: legs.reply.links[back], seen: answered.frames[back] };
      else if (probe === 'icmp') replyAtSource = true;
    }
    // The last probe decides: an ARP that was answered led to the echo, which may still be lost.
    loss = probeLoss;
  }
  // The ARP was answered and no echo followed before ping gave up: the echo is what never left.
  if (!replyAtSource && !loss) loss = { kind: 'nothing-left', probe: 'icmp', leg: request };
  return { probes, hops, sightings, replyAtSource, icmpId, loss: replyAtSource ? undefined : loss };
}

function lastSeen(frames: CaptureFrame[][]): number {
  let last = -1;
  frames.forEach((seen, i) => {
    if (seen.length) last = i;
  });
  return last;
}
