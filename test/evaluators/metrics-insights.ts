/**
 * A parser of CloudWatch Metrics Insights queries, written from the documented grammar only, so a
 * test can tell whether CloudWatch would accept a query an alarm or a dashboard carries.
 *
 * Grammar ("Query components and syntax in CloudWatch Metrics Insights",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-querylanguage.html):
 *
 *   SELECT FUNCTION(metricName)
 *   FROM namespace | SCHEMA(namespace [, labelKey ...])
 *   [ WHERE labelKey OPERATOR labelValue [AND ... ] ]
 *   [ GROUP BY labelKey [ , ... ] ]
 *   [ ORDER BY FUNCTION() [ DESC | ASC ] ]
 *   [ LIMIT number ]
 *
 * - FUNCTION is AVG, COUNT, MAX, MIN or SUM; keywords are case insensitive, identifiers are not.
 * - The WHERE operators are `=` and `!=`, conditions joined by AND; nothing else (no LIKE, no OR,
 *   no parentheses) is in the grammar, so anything else is rejected.
 * - A namespace, metric name or label key with a character other than a letter, digit or
 *   underscore is written in double quotes; a label value is always in single quotes (the page's
 *   "What needs quotation marks or escape characters?").
 * The page's sample queries are in test/evaluators/metrics-insights.test.ts
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-queryexamples.html).
 */
import { TemplateResolver } from './intrinsics';

/** The aggregation functions of SELECT and ORDER BY. */
const FUNCTIONS = ['AVG', 'COUNT', 'MAX', 'MIN', 'SUM'];
/** Keywords of the grammar (and SQL words a reader might expect); never a bare identifier. */
const KEYWORDS = ['SELECT', 'FROM', 'SCHEMA', 'WHERE', 'AND', 'OR', 'NOT', 'LIKE', 'IN', 'GROUP', 'BY', 'ORDER', 'ASC', 'DESC', 'LIMIT'];

/** A parsed query. */
export interface MetricsInsightsQuery {
  readonly func: string;
  readonly metric: string;
  readonly namespace: string;
  /** Label keys of SCHEMA(...); undefined when FROM names the namespace only. */
  readonly schemaKeys?: string[];
  readonly where: Array<{ key: string; operator: '=' | '!='; value: string }>;
  readonly groupBy: string[];
  readonly orderBy?: { func: string; direction: 'ASC' | 'DESC' };
  readonly limit?: number;
}

type Token = { kind: 'word' | 'quoted' | 'string' | 'number' | 'punct'; text: string; pos: number };

/** A query outside the documented grammar. */
export class MetricsInsightsSyntaxError extends Error {}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s+|([A-Za-z_][A-Za-z0-9_]*)|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\d+)|(!=|[(),=])/y;
  while (re.lastIndex < query.length) {
    const pos = re.lastIndex;
    const m = re.exec(query);
    if (!m) throw new MetricsInsightsSyntaxError(`Unexpected character ${JSON.stringify(query[pos])} at position ${pos} of: ${query}`);
    const unescape = (s: string) => s.replace(/\\(.)/g, '$1');
    if (m[1] !== undefined) tokens.push({ kind: 'word', text: m[1], pos });
    else if (m[2] !== undefined) tokens.push({ kind: 'quoted', text: unescape(m[2]), pos });
    else if (m[3] !== undefined) tokens.push({ kind: 'string', text: unescape(m[3]), pos });
    else if (m[4] !== undefined) tokens.push({ kind: 'number', text: m[4], pos });
    else if (m[5] !== undefined) tokens.push({ kind: 'punct', text: m[5], pos });
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly query: string, private readonly tokens: Token[]) {}

  public parse(): MetricsInsightsQuery {
    this.keyword('SELECT');
    const func = this.func();
    this.punct('(');
    const metric = this.identifier('a metric name');
    this.punct(')');
    this.keyword('FROM');
    let namespace: string;
    let schemaKeys: string[] | undefined;
    if (this.isKeyword('SCHEMA')) {
      this.i++;
      this.punct('(');
      namespace = this.identifier('a namespace');
      schemaKeys = [];
      while (this.isPunct(',')) { this.i++; schemaKeys.push(this.identifier('a label key')); }
      this.punct(')');
    } else {
      namespace = this.identifier('a namespace or SCHEMA(...)');
    }
    const where = this.isKeyword('WHERE') ? this.where() : [];
    const groupBy: string[] = [];
    if (this.isKeyword('GROUP')) {
      this.i++; this.keyword('BY');
      groupBy.push(this.identifier('a label key'));
      while (this.isPunct(',')) { this.i++; groupBy.push(this.identifier('a label key')); }
    }
    let orderBy: MetricsInsightsQuery['orderBy'];
    if (this.isKeyword('ORDER')) {
      this.i++; this.keyword('BY');
      const orderFunc = this.func();
      this.punct('('); this.punct(')');
      let direction: 'ASC' | 'DESC' = 'ASC';
      if (this.isKeyword('ASC') || this.isKeyword('DESC')) direction = this.tokens[this.i++].text.toUpperCase() as 'ASC' | 'DESC';
      orderBy = { func: orderFunc, direction };
    }
    let limit: number | undefined;
    if (this.isKeyword('LIMIT')) {
      this.i++;
      const t = this.next('a number');
      if (t.kind !== 'number' || Number(t.text) < 1) this.fail(t, 'a positive whole number after LIMIT');
      limit = Number(t.text);
    }
    if (this.i < this.tokens.length) this.fail(this.tokens[this.i], 'the end of the query (or the next clause in the documented order: WHERE, GROUP BY, ORDER BY, LIMIT)');
    return { func, metric, namespace, schemaKeys, where, groupBy, orderBy, limit };
  }

  private where(): MetricsInsightsQuery['where'] {
    this.i++;
    const conditions: MetricsInsightsQuery['where'] = [];
    do {
      if (conditions.length) this.i++; // AND
      const key = this.identifier('a label key');
      const op = this.next('= or !=');
      if (op.kind !== 'punct' || (op.text !== '=' && op.text !== '!=')) this.fail(op, 'a WHERE operator: = or != (the only documented ones)');
      const value = this.next('a label value');
      if (value.kind !== 'string') this.fail(value, 'a label value in single quotes');
      conditions.push({ key, operator: op.text as '=' | '!=', value: value.text });
    } while (this.isKeyword('AND'));
    return conditions;
  }

  private func(): string {
    const t = this.next('a function');
    if (t.kind !== 'word' || !FUNCTIONS.includes(t.text.toUpperCase())) this.fail(t, `a function: ${FUNCTIONS.join(', ')}`);
    return t.text.toUpperCase();
  }

  private identifier(what: string): string {
    const t = this.next(what);
    if (t.kind === 'quoted') return t.text;
    if (t.kind === 'word' && !KEYWORDS.includes(t.text.toUpperCase())) return t.text;
    return this.fail(t, `${what} (a name of letters, digits and _, or any name in double quotes)`);
  }

  private keyword(word: string): void {
    const t = this.next(word);
    if (t.kind !== 'word' || t.text.toUpperCase() !== word) this.fail(t, word);
  }

  private punct(p: string): void {
    const t = this.next(`"${p}"`);
    if (t.kind !== 'punct' || t.text !== p) this.fail(t, `"${p}"`);
  }

  private isKeyword(word: string): boolean {
    const t = this.tokens[this.i];
    return t !== undefined && t.kind === 'word' && t.text.toUpperCase() === word;
  }

  private isPunct(p: string): boolean {
    const t = this.tokens[this.i];
    return t !== undefined && t.kind === 'punct' && t.text === p;
  }

  private next(what: string): Token {
    const t = this.tokens[this.i++];
    if (!t) throw new MetricsInsightsSyntaxError(`Expected ${what} but the query ended: ${this.query}`);
    return t;
  }

  private fail(t: Token, expected: string): never {
    throw new MetricsInsightsSyntaxError(`Expected ${expected} but found ${JSON.stringify(t.text)} at position ${t.pos} of: ${this.query}`);
  }
}

/** Parses `query` with the documented grammar; throws MetricsInsightsSyntaxError naming what is wrong. */
export function parseMetricsInsightsQuery(query: string): MetricsInsightsQuery {
  return new Parser(query, tokenize(query)).parse();
}

/** A Metrics Insights query found in a template, and where. */
export interface FoundQuery {
  /** e.g. `alarm prodMonitoringQueueAgeAlarm1234 (metric q1)` or `dashboard prodDashboard widget 3`. */
  readonly where: string;
  readonly query: string;
}

const isSelect = (s: unknown): s is string => typeof s === 'string' && /^\s*SELECT\b/i.test(s);

/**
 * Every Metrics Insights query of a template: the `Expression`s starting with SELECT in alarms'
 * `Metrics`, and the `expression`s starting with SELECT anywhere in dashboard bodies.
 */
export function collectMetricsInsightsQueries(template: any, resolver?: TemplateResolver): FoundQuery[] {
  const r = resolver ?? new TemplateResolver(template, { account: '123456789012', region: 'us-east-1' });
  const found: FoundQuery[] = [];
  for (const [id, resource] of Object.entries<any>(template.Resources ?? {})) {
    if (resource.Type === 'AWS::CloudWatch::Alarm') {
      for (const metric of r.resolve(resource.Properties?.Metrics ?? [])) {
        if (isSelect(metric.Expression)) found.push({ where: `alarm ${id} (metric ${metric.Id})`, query: metric.Expression });
      }
    }
    if (resource.Type === 'AWS::CloudWatch::Dashboard') {
      const body = JSON.parse(r.resolve(resource.Properties.DashboardBody));
      (body.widgets ?? []).forEach((widget: any, n: number) => {
        for (const query of expressionsIn(widget)) found.push({ where: `dashboard ${id} widget ${n}`, query });
      });
    }
  }
  return found;
}

function expressionsIn(value: any): string[] {
  if (Array.isArray(value)) return value.flatMap(expressionsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (k === 'expression' && isSelect(v) ? [v] : expressionsIn(v)));
}
