// The tray icon: the overall state at a glance (tray-state.ts), a way back to the
// window, the start-at-login setting, and Quit.
import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import { TRAY_ICON_SIZE, trayIconPng } from './tray-icon';
import { trayPresentation, type OverallState, type TrayIconName } from './tray-state';

export interface TrayActions {
  readonly show: () => void;
  readonly quit: () => void;
  /** Absent where the OS has no login items. */
  readonly startAtLogin?: { readonly get: () => boolean; readonly set: (on: boolean) => void };
}

export interface CompanionTray {
  update(state: OverallState): void;
  destroy(): void;
}

const image = (icon: TrayIconName): NativeImage =>
  nativeImage.createFromBuffer(Buffer.from(trayIconPng(icon, TRAY_ICON_SIZE)), {
    scaleFactor: TRAY_ICON_SIZE / 16,
  });

export function createTray(initial: OverallState, actions: TrayActions): CompanionTray {
  const first = trayPresentation(initial);
  const tray = new Tray(image(first.icon));
  let shown = first;
  tray.setToolTip(first.tooltip);
  const menu = (): Menu =>
    Menu.buildFromTemplate([
      { label: 'Open Hideez Companion', click: actions.show },
      ...(actions.startAtLogin
        ? [
            {
              label: 'Start at login',
              type: 'checkbox' as const,
              checked: actions.startAtLogin.get(),
              click: (item: { checked: boolean }) => actions.startAtLogin?.set(item.checked),
            },
          ]
        : []),
      { type: 'separator' },
      { label: 'Quit', click: actions.quit },
    ]);
  tray.setContextMenu(menu());
  tray.on('click', actions.show);
  return {
    update(state) {
      const next = trayPresentation(state);
      if (next.icon !== shown.icon) tray.setImage(image(next.icon));
      if (next.tooltip !== shown.tooltip) tray.setToolTip(next.tooltip);
      shown = next;
      tray.setContextMenu(menu());
    },
    destroy: () => tray.destroy(),
  };
}
