// Both legs of a round trip, from the lab model: the request's path (source to destination) and
// the answer's (destination back to the source's address), which can differ, and the capture
// points that watch them. One capture per (host, interface) serves both legs and every probe,
// so a host gives the trace as few channels as it has points.

import { expectedPath, type CapturePoint, type ExpectedPath } from './expectedPath';

export interface TraceLegs {
  request: ExpectedPath;
  /** Undefined when the answer's path cannot be worked out (no source address, destination outside the lab). */
  reply?: ExpectedPath;
  /** Every point of both legs once, request first. */
  points: WatchPoint[];
  /** Index into `points` of each point of each leg, in path order. */
  requestPoints: number[];
  replyPoints: number[];
}

/** A point watched by one capture, with every tunnel either leg carries across it. */
export interface WatchPoint extends CapturePoint {
  tunnels: NonNullable<CapturePoint['tunnel']>[];
}

export const pointKey = (point: { host: string; interface: string }): string => `${point.host}:${point.interface}`;

export function traceLegs(request: ExpectedPath, replyOf: (from: { host: string; interface: string }, to: string) => ExpectedPath): TraceLegs {
  const reply = request.toHost && request.toInterface && request.from.address && !request.problems.length ? replyOf({ host: request.toHost, interface: request.toInterface }, request.from.address) : undefined;
  const points: WatchPoint[] = [];
  const index = new Map<string, number>();
  const place = (point: CapturePoint): number => {
    const key = pointKey(point);
    const known = index.get(key);
    if (known !== undefined) {
      // The same wire may carry the other leg's tunnel too (another port, another type).
      if (point.tunnel) points[known].tunnels.push(point.tunnel);
      return known;
    }
    points.push({ ...point, tunnels: point.tunnel ? [point.tunnel] : [] });
    index.set(key, points.length - 1);
    return points.length - 1;
  };
  const requestPoints = request.points.map(place);
  const usableReply = reply && !reply.problems.length && reply.points.length ? reply : undefined;
  const replyPoints = usableReply ? usableReply.points.map(place) : [];
  return { request, reply: usableReply, points, requestPoints, replyPoints };
}

/** The reply leg worked out from the same model, from the destination's interface back to the source's address. */
export function legsFor(lab: Parameters<typeof expectedPath>[0], from: { host: string; interface?: string }, to: string): TraceLegs {
  return traceLegs(expectedPath(lab, from, to), (start, address) => expectedPath(lab, start, address));
}
