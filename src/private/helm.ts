/**
 * Checks shared by the Helm releases of the library (not exported from the package).
 */
import { validatePattern } from './validate';

/** A Helm chart version is SemVer 2 (https://helm.sh/docs/topics/charts/#the-chartyaml-file), simplified: no leading v. */
const CHART_VERSION = /^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/;

/** Fails unless `value` is a chart version; `chart` and `example` name the chart and its default version in the message. */
export function validateChartVersion(prop: string, value: string | undefined, chart: string, example: string): void {
  validatePattern(prop, value, CHART_VERSION, `must be a version of the ${chart} Helm chart such as ${example}`);
}
