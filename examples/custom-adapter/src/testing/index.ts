export { startFakeLumenServer, type FakeLumenServer, type FakeLumenServerOptions } from './fake-lumen-server';
