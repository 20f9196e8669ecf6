// The UI with its IPC mocked at the boundary (browser tests only).
import { mount } from 'svelte';
import { mockIPC } from '@tauri-apps/api/mocks';
import { createFake } from './fake-backend';

const scenario = new URLSearchParams(location.search).get('scenario') ?? 'seeded';
const fake = createFake(scenario);
(window as unknown as { __fake: typeof fake }).__fake = fake;
// Mounts a component on its own above the screen (components made for a
// screen another change will place them on are tried this way).
(window as unknown as { __mount: unknown }).__mount = async (path: string, props: Record<string, unknown>) => {
  const target = document.createElement('div');
  document.querySelector('main')?.prepend(target);
  mount((await import(/* @vite-ignore */ path)).default, { target, props });
};
mockIPC((cmd, args) => fake.handle(cmd, args));
await import('../../src/main');
