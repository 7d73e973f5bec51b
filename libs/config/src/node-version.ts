import { ConfigError } from './app-config';

/** The oldest Node.js this service supports (package.json engines says the same). */
export const MINIMUM_NODE = '20.19.0';

/** Stops with one line on an older Node.js, before anything else can fail less clearly. */
export function assertSupportedNode(version: string = process.versions.node): void {
  const [major, minor] = version.split('.').map(Number);
  const [needMajor, needMinor] = MINIMUM_NODE.split('.').map(Number);
  if (major < needMajor || (major === needMajor && minor < needMinor)) {
    throw new ConfigError(
      `Node.js ${MINIMUM_NODE} or newer is needed; this is ${version} (see .nvmrc)`,
    );
  }
}
