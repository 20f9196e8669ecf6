// The UI with its IPC mocked at the boundary (browser tests only).
import { mockIPC } from '@tauri-apps/api/mocks';
import { createFake } from './fake-backend';

const scenario = new URLSearchParams(location.search).get('scenario') ?? 'seeded';
const fake = createFake(scenario);
(window as unknown as { __fake: typeof fake }).__fake = fake;
mockIPC((cmd, args) => fake.handle(cmd, args));
await import('../../src/main');
