// Building drift items: the three statuses, each with its subject and the place in the lab file
// that declares what is compared. Shared by the drift checks so their items read alike.

import type { SourceRange } from '../lab/types';
import type { DriftItem, DriftSubject } from './types';

export function missing(subject: DriftSubject, message: string, range: SourceRange | undefined): DriftItem {
  return { subject, status: 'missing', message, range };
}

export function different(subject: DriftSubject, message: string, range: SourceRange | undefined, values: { expected: string; actual: string }): DriftItem {
  return { subject, status: 'different', message, range, expected: values.expected, actual: values.actual };
}

export function unexpected(subject: DriftSubject, message: string, range: SourceRange | undefined): DriftItem {
  return { subject, status: 'unexpected', message, range };
}

/** `a`, `a and b`, `a, b and c`. */
export function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
