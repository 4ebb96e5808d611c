/**
 * The ACM validation-record cleanup handler against an in-memory Route 53 zone: on Delete it
 * removes exactly ACM's validation CNAMEs for the given names, so the zone can be deleted.
 */
import { CleanupEvent, isRollbackOfCreate, isValidationRecord, onEvent, RecordSet, shouldDeleteRecords, StackApi, ZoneApi } from '../../src/dns/validation-cleanup';

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

describe('a retained zone: records go only when the stack\'s creation rolls back (the zone goes then, and only then)', () => {
  const STATUSES = [
    'CREATE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'UPDATE_IN_PROGRESS',
    'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
  ];

  test('the decision: only ROLLBACK_IN_PROGRESS', () => {
    expect(STATUSES.filter(isRollbackOfCreate)).toEqual(['ROLLBACK_IN_PROGRESS']);
  });

  test('a zone deleted with the stack (no DeleteRecords): always, without reading the stack status', async () => {
    const status = jest.fn(async () => 'DELETE_IN_PROGRESS');
    await expect(shouldDeleteRecords(undefined, status)).resolves.toBe(true);
    expect(status).not.toHaveBeenCalled();
  });

  test.each(STATUSES.map(s => [s, s === 'ROLLBACK_IN_PROGRESS']))('DeleteRecords OnCreateRollback, stack %s: delete records %s', async (status, expected) => {
    await expect(shouldDeleteRecords('OnCreateRollback', async () => status as string)).resolves.toBe(expected);
  });

  test('an unknown DeleteRecords value fails (never guesses towards deleting)', () => {
    expect(() => shouldDeleteRecords('Always', async () => 'ROLLBACK_IN_PROGRESS')).toThrow("Unknown DeleteRecords 'Always'");
  });

  const stackIn = (status: string): StackApi & { asked: string[] } => {
    const asked: string[] = [];
    return { asked, async stackStatus(id) { asked.push(id); return status; } };
  };
  const retainedDelete = { ...event('Delete', { DeleteRecords: 'OnCreateRollback' }), StackId: 'arn:aws:cloudformation:eu-west-1:1:stack/scope-prod/x' };

  test('cdk destroy of a retained zone (DELETE_IN_PROGRESS): every record stays, no change call', async () => {
    const { state, api } = zone([soa, ns, frontendValidation, wwwValidation]);
    const stack = stackIn('DELETE_IN_PROGRESS');
    await expect(onEvent(retainedDelete, api, stack)).resolves.toEqual({ PhysicalResourceId: `${ZONE}/acm-validation-records`, Data: { Deleted: '' } });
    expect(state).toEqual({ records: [soa, ns, frontendValidation, wwwValidation], deleteCalls: 0 });
    expect(stack.asked).toEqual([retainedDelete.StackId]);
  });

  test('rollback of the failed first deploy (ROLLBACK_IN_PROGRESS): only the validation CNAMEs go, the zone can be deleted', async () => {
    const { state, api } = zone([soa, ns, frontendValidation, wwwValidation]);
    await onEvent(retainedDelete, api, stackIn('ROLLBACK_IN_PROGRESS'));
    expect(state.records).toEqual([soa, ns]);
  });

  test('a retained zone\'s Delete without the stack to ask fails instead of deleting', async () => {
    const { state, api } = zone([soa, ns, frontendValidation]);
    await expect(onEvent(event('Delete', { DeleteRecords: 'OnCreateRollback' }), api)).rejects.toThrow(/needs the stack/);
    expect(state.records).toHaveLength(3);
  });
});
