// What the workstation tells the server about itself (WorkstationInfoDto): machine
// name, OS, app version and the first non-internal address. Plain Node (os module).
import { hostname, networkInterfaces, platform, release, version } from 'node:os';
import type { WorkstationInfoDto } from '../../shared/hes/dto';

const OS_NAMES: Readonly<Record<string, string>> = {
  linux: 'Linux',
  darwin: 'macOS',
  win32: 'Windows',
};

function firstAddress(): { ip: string; mac: string } {
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) {
      if (!entry.internal && entry.family === 'IPv4') return { ip: entry.address, mac: entry.mac };
    }
  }
  return { ip: '127.0.0.1', mac: '' };
}

export function workstationInfo(id: string, appVersion: string): WorkstationInfoDto {
  const { ip, mac } = firstAddress();
  return {
    id,
    machineName: hostname(),
    domain: '',
    appVersion,
    osName: OS_NAMES[platform()] ?? platform(),
    osVersion: release(),
    osBuild: version(),
    ip,
    mac,
    users: [],
    isAlarmTurnOn: false,
  };
}
