// Linux tells when a HID node exists: the kernel creates /dev/hidrawN (devtmpfs) as
// the key's HID interface binds, and udev then grants the seat's user access to it
// (an ACL or mode change on the same node). An inotify watch of /dev sees both, so
// discovery can enumerate the moment the node is there and again when it becomes
// usable: no rescan delay to guess. The watch does not keep the process alive and
// wakes it only when a node in /dev itself comes, changes or goes.
import { watch } from 'node:fs';
import type { HidNodeEventsLike } from './hid-device-like';

const HIDRAW = /^hidraw\d+$/;

/** /dev on Linux; elsewhere there are no hidraw nodes to watch. */
export function defaultHidNodes(): HidNodeEventsLike | undefined {
  return process.platform === 'linux' ? devNodeEvents('/dev') : undefined;
}

/** hidraw nodes in `dir` (a parameter so tests watch a real directory of their own). */
export function devNodeEvents(dir: string): HidNodeEventsLike {
  return {
    watch(listener) {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        // Some platforms may omit the name: then any change is worth a look.
        const node = name === null ? undefined : String(name);
        if (node === undefined || HIDRAW.test(node)) listener(node ?? '');
      });
      // An error after the start (the directory went away): stop quietly; the next
      // start of discovery watches again or falls back.
      watcher.on('error', () => watcher.close());
      return () => watcher.close();
    },
  };
}
