/**
 * The ACM validation-record cleanup handler against an in-memory Route 53 zone: on Delete it
 * removes exactly ACM's validation CNAMEs for the given names, so the zone can be deleted.
 */
import { CleanupEvent, isValidationRecord, onEvent, RecordSet, ZoneApi } from '../../src/dns/validation-cleanup';

const ZONE = 'Z123';
const NAMES = ['frontend.dev.example.com', 'www.dev.example.com'];

function zone(records: RecordSet[]) {
  const state = { records: [...records], deleteCalls: 0 };
  const api: ZoneApi = {
    async listRecordSets(id) {
      if (id !== ZONE) throw new Error(`NoSuchHostedZone: ${id}`);
      return state.records.map(r => ({ ...r }));
    },
    async deleteRecordSets(id, sets) {
      if (id !== ZONE) throw new Error(`NoSuchHostedZone: ${id}`);
      state.deleteCalls += 1;
      for (const set of sets) {
        // Route 53 deletes only an exact match of name, type, TTL and values.
        const i = state.records.findIndex(r => JSON.stringify(r) === JSON.stringify(set));
        if (i < 0) throw new Error(`InvalidChangeBatch: record ${set.Name} ${set.Type} not found`);
        state.records.splice(i, 1);
      }
    },
  };
  return { state, api };
}

const cname = (name: string, value: string, ttl = 300): RecordSet => ({ Name: name, Type: 'CNAME', TTL: ttl, ResourceRecords: [{ Value: value }] });
const soa: RecordSet = { Name: 'dev.example.com.', Type: 'SOA', TTL: 900, ResourceRecords: [{ Value: 'ns-1.awsdns-00.com. hostmaster. 1 7200 900 1209600 86400' }] };
const ns: RecordSet = { Name: 'dev.example.com.', Type: 'NS', TTL: 172800, ResourceRecords: [{ Value: 'ns-1.awsdns-00.com.' }] };
const frontendValidation = cname('_3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e.frontend.dev.example.com.', '_d1c2b3a4.xyzabc.acm-validations.aws.', 60);
const wwwValidation = cname('_0a1b2c3d.www.dev.example.com.', '_e5f6.xyzabc.acm-validations.aws.');
const event = (type: CleanupEvent['RequestType'], props: Record<string, unknown> = {}): CleanupEvent => ({
  RequestType: type,
  PhysicalResourceId: type === 'Create' ? undefined : `${ZONE}/acm-validation-records`,
  ResourceProperties: { ServiceToken: 'arn:aws:lambda:x', HostedZoneId: ZONE, RecordNames: NAMES, ...props },
});

test('Delete removes the validation records of the names (whatever their TTL), leaving only SOA and NS', async () => {
  const { state, api } = zone([soa, ns, frontendValidation, wwwValidation]);
  await expect(onEvent(event('Delete'), api)).resolves.toEqual({
    PhysicalResourceId: `${ZONE}/acm-validation-records`,
    Data: { Deleted: `${frontendValidation.Name},${wwwValidation.Name}` },
  });
  expect(state.records).toEqual([soa, ns]);
});

test('Delete keeps every other record: other names, other targets, other types', async () => {
  const keep = [
    soa, ns,
    cname('_abc.other.dev.example.com.', '_x.acm-validations.aws.'), // a name the certificate does not cover
    cname('_abc.frontend.dev.example.com.', 'elsewhere.example.net.'), // not pointing at ACM
    cname('frontend.dev.example.com.', '_x.acm-validations.aws.'), // no underscore label
    { Name: '_abc.frontend.dev.example.com.', Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: '"_x.acm-validations.aws."' }] },
  ];
  const { state, api } = zone([...keep, wwwValidation]);
  await onEvent(event('Delete'), api);
  expect(state.records).toEqual(keep);
});

test('Create and Update touch nothing; a Delete with nothing to remove makes no change call', async () => {
  const { state, api } = zone([soa, ns, frontendValidation]);
  await expect(onEvent(event('Create'), api)).resolves.toEqual({ PhysicalResourceId: `${ZONE}/acm-validation-records` });
  await onEvent(event('Update'), api);
  expect(state.records).toHaveLength(3);
  const empty = zone([soa, ns]);
  await onEvent(event('Delete'), empty.api);
  expect(empty.state.deleteCalls).toBe(0);
});

test('names match case-insensitively, with or without a trailing dot, and wildcard names match their base', () => {
  expect(isValidationRecord(cname('_A1.Frontend.Dev.Example.com.', '_x.ACM-VALIDATIONS.AWS.'), ['frontend.dev.example.com'])).toBe(true);
  expect(isValidationRecord(cname('_a1.dev.example.com', '_x.acm-validations.aws'), ['*.dev.example.com.'])).toBe(true);
  expect(isValidationRecord(cname('_a1.x.frontend.dev.example.com.', '_x.acm-validations.aws.'), ['frontend.dev.example.com'])).toBe(false);
});

test('missing properties fail clearly', async () => {
  const { api } = zone([]);
  await expect(onEvent(event('Delete', { RecordNames: undefined }), api)).rejects.toThrow('Missing custom resource property HostedZoneId or RecordNames.');
});
