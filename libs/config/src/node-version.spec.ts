import { ConfigError } from './app-config';
import { assertSupportedNode } from './node-version';

describe(assertSupportedNode.name, () => {
  it.each(['20.19.0', '20.20.2', '22.1.0', '24.0.0'])('accepts %s', (version) => {
    expect(() => assertSupportedNode(version)).not.toThrow();
  });

  it.each(['20.18.3', '18.20.4', '16.0.0'])('refuses %s with one line', (version) => {
    expect(() => assertSupportedNode(version)).toThrow(ConfigError);
    expect(() => assertSupportedNode(version)).toThrow(
      `Node.js 20.19.0 or newer is needed; this is ${version} (see .nvmrc)`,
    );
  });
});
