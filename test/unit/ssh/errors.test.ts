import { strict as assert } from 'node:assert';
import { describeConnectError } from '../../../src/ssh/errors';

// Socket and ssh2 errors as Node raises them, turned into messages that name the host and say what to do.
describe('SSH error messages', () => {
  const where = { host: 'ovs-ord', hostname: '198.51.100.20', port: 22, user: 'root', timeoutMs: 10_000 };
  const errno = (code: string) => Object.assign(new Error(`connect ${code} 198.51.100.20:22`), { code });

  const cases: [string, Error, string, RegExp][] = [
    ['name not resolved', errno('ENOTFOUND'), 'name-not-resolved', /^ovs-ord: cannot resolve host name "198\.51\.100\.20"\. Check ssh\.host/],
    ['connection refused', errno('ECONNREFUSED'), 'connection-refused', /^ovs-ord: connection refused by 198\.51\.100\.20:22\. Is sshd running/],
    ['timeout', errno('ETIMEDOUT'), 'timeout', /^ovs-ord: timed out after 10 s connecting to 198\.51\.100\.20:22/],
    ['no route', errno('EHOSTUNREACH'), 'unreachable', /^ovs-ord: no route to 198\.51\.100\.20:22/],
    ['handshake timeout', Object.assign(new Error('Timed out while waiting for handshake'), { level: 'client-timeout' }), 'timeout', /^ovs-ord: timed out/],
    ['authentication', Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }), 'authentication', /^ovs-ord: authentication refused for root@198\.51\.100\.20:22/],
    ['not an SSH server', new Error('Connection lost before handshake'), 'connection-lost', /^ovs-ord: 198\.51\.100\.20:22 closed the connection before the SSH handshake/],
  ];
  for (const [name, error, kind, message] of cases) {
    it(name, () => {
      const described = describeConnectError(error, where);
      assert.equal(described.kind, kind);
      assert.match(described.message, message);
      assert.equal(described.host, 'ovs-ord');
    });
  }
});
