/**
 * Domain-name checks of EnvironmentDns (internal: not exported from the package).
 * Every check skips unresolved tokens: their value is only known at deploy time.
 */
import { Token } from 'aws-cdk-lib';
import { PropError } from '../private/validate';

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
/** At least two labels, optional trailing dot. */
const DOMAIN = new RegExp(`^(?:${LABEL}\\.)+${LABEL}\\.?$`);
/** Same, with an optional leading wildcard label (`*.example.com`). */
const RECORD_DOMAIN = new RegExp(`^(?:\\*\\.)?(?:${LABEL}\\.)+${LABEL}\\.?$`);
/** One or more labels, no trailing dot: a name relative to its zone. */
const RELATIVE = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

const DOMAIN_RULE = 'must be a domain name of at least two labels (e.g. dev.example.com), each label 1-63 characters of a-z, 0-9 and -, '
  + 'not starting or ending with -, at most 253 characters in all; a trailing dot is allowed';

/** `name` without its trailing dot. */
export function stripDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** Fails unless `value` is a valid domain name (`wildcard` allows a leading `*.` label). */
export function validateDomainName(prop: string, value: string | undefined, wildcard = false): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  const pattern = wildcard ? RECORD_DOMAIN : DOMAIN;
  if (!pattern.test(value) || stripDot(value).length > 253) {
    const rule = wildcard ? `${DOMAIN_RULE}; a leading *. label is allowed` : DOMAIN_RULE;
    throw new PropError(`Invalid ${prop} '${value}': ${rule}.`);
  }
}

/** Fails unless `value` is a name relative to `zoneName` (one or more labels, not the full name). */
export function validateRelativeName(prop: string, value: string, zoneName: string): void {
  if (Token.isUnresolved(value)) return;
  const zone = Token.isUnresolved(zoneName) ? undefined : zoneName;
  const full = value.endsWith('.') || (zone !== undefined && (value === zone || value.endsWith(`.${zone}`)));
  if (full) {
    throw new PropError(`Invalid ${prop} '${value}': give the name relative to the zone${zone ? ` ${zone}` : ''} `
      + `(e.g. 'frontend' for frontend.${zone ?? '<zone>'}), without the zone name.`);
  }
  if (!RELATIVE.test(value) || (zone !== undefined && `${value}.${zone}`.length > 253)) {
    throw new PropError(`Invalid ${prop} '${value}': must be one or more labels relative to the zone (e.g. 'frontend'), `
      + 'each label 1-63 characters of a-z, 0-9 and -, not starting or ending with -.');
  }
}

/**
 * Whether `name` is `zoneName` itself or lies below it; undefined when either is a token.
 * Both without trailing dot.
 */
export function isInZone(name: string, zoneName: string): boolean | undefined {
  if (Token.isUnresolved(name) || Token.isUnresolved(zoneName)) return undefined;
  return name === zoneName || name.endsWith(`.${zoneName}`);
}
