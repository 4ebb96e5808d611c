/** Checks of EnvironmentMonitoringOptions shared with ScopeEnvironment (not exported from the package). */
import { validatePattern } from '../private/validate';

/** Fails unless every entry of `emails` is an email address; `prop` is the prop's path, e.g. `monitoring.alarmEmails`. */
export function validateAlarmEmails(prop: string, emails: string[] | undefined): void {
  (emails ?? []).forEach((email, i) => validatePattern(`${prop}[${i}]`, email, /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
    'must be an email address such as ops@example.com'));
}
