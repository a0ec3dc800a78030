// The virtual Hideez Key 3's Bluetooth face (reference §1–§4): it advertises the
// Key 3 service (or only its "HK-nnnnn" name, to test the host's fallback), exposes
// service 59ac0001 with the main characteristic (write, write without response,
// notify) and the info characteristic (read), and speaks the packet protocol: data
// packets reassembled per channel and acknowledged with COMMIT, RESET, a
// handshake per channel (VERIFY answered with its root key; GETROOTKEY with its
// vendor certificate), then encrypted commands run on the shared firmware model
// (key3-commands.ts). It stays silent until the host's first write (`02 01`), sends
// STATUS when anything in it changes, CANCEL on a long press, BUSY when a second
// channel asks while a request is in progress, and WIPE after a wipe. Test
// controls: bootloader mode, pairing required, advertising without the service,
// and BUSY for the next requests (busyNext). How it refuses a host (not in range, not
// connected, not paired…) is key3-link-error.ts; the GATT face, the packets and the
// per-channel sessions stay here, as they share one link state (awake, busy channel, listeners).
import { EventEmitter } from 'node:events';
import { answerHandshake } from '../../device/key3/crypto/handshake';
import type { Key3Session } from '../../device/key3/crypto/session';
import { Key3Command } from '../../device/key3/protocol/command-codes';
import { fromDeviceErrorCode, Key3FirmwareError } from '../../device/key3/protocol/errors';
import { ADVERTISED_SERVICE_UUID, KEY3_UUIDS } from '../../device/key3/protocol/gatt';
import { encodeErrorReply, encodeMessage } from '../../device/key3/protocol/message';
import {
  busyPacket,
  cancelPacket,
  classifyNotification,
  commitPacket,
  ControlCode,
  encodeMessagePackets,
  wipePacket,
  WipeResult,
  type Key3Notification,
} from '../../device/key3/protocol/packets';
import { PacketReassembler } from '../../device/key3/protocol/reassembler';
import { encodeStatus } from '../../device/key3/protocol/status';
import { KeyEvent } from '../../device/protocol/messages';
import { DeviceErrorCode } from '../../shared/errors/device-error-code';
import { accessFlagsToBits } from '../../shared/key/key-info';
import type { GattCharacteristicSpec, VirtualGattPeripheral } from '../ble/gatt-peripheral';
import type { KeyFirmware } from '../key/firmware';
import { KEY3_MAX_MESSAGE_BYTES, runKey3Command } from './key3-commands';
import { key3LinkError } from './key3-link-error';

/** What the info characteristic reads in bootloader mode (byte 0: 0x01 or 0x64). */
const BOOTLOADER_INFO = Uint8Array.of(0x01, 0x00);
const APPLICATION_INFO = Uint8Array.of(0x00, 0x01);
const VERIFY_HEADER = [0xa0, 0x00, 0x00, 0x4a] as const;
const VERIFY_MESSAGE_BYTES = 80;
const CHANNELS = 6;
const PRESS_CODE_MASK = 0x7f;

const CHARACTERISTICS: readonly GattCharacteristicSpec[] = [
  { uuid: KEY3_UUIDS.main, properties: ['write', 'writeWithoutResponse', 'notify'] },
  { uuid: KEY3_UUIDS.info, properties: ['read'] },
];

export interface Key3PeripheralOptions {
  /** The key runs its bootloader: the info characteristic says so; nothing else answers. */
  readonly bootloader?: boolean;
  /** Advertise the name only (no service UUID): the host must fall back to the name. */
  readonly advertiseNameOnly?: boolean;
  /** The key is not bonded: its characteristics refuse an unpaired host until it enters pairing mode. */
  readonly pairingRequired?: boolean;
  readonly now?: () => number;
}

interface Channel {
  readonly reassembler: PacketReassembler;
  session: Key3Session | undefined;
}

interface Link {
  readonly listeners: Set<(data: Uint8Array) => void>;
  readonly channels: Map<number, Channel>;
  awake: boolean;
  /** The channel whose request the key is working on. */
  busyChannel: number | undefined;
  /** The state changed while a request ran: STATUS follows its reply. */
  statusDue: boolean;
}

export class VirtualKey3Peripheral extends EventEmitter implements VirtualGattPeripheral {
  readonly address: string;
  readonly id: string;
  readonly advertisement: { readonly localName: string; readonly serviceUuids: readonly string[] };
  readonly service = KEY3_UUIDS.service;
  readonly characteristics = CHARACTERISTICS;
  rssi = -55;
  bootloader: boolean;
  #paired: boolean;
  #pairable = false;
  #link: Link | undefined;
  #available = true;
  #buttonByte = 0;
  /** Requests still to be answered with BUSY (busyNext). */
  #busyAnswers = 0;
  readonly #detach: () => void;
  readonly #now: () => number;

  constructor(
    private readonly firmware: KeyFirmware,
    private readonly identity: {
      readonly rootPrivateKey: Uint8Array;
      readonly certificate: Uint8Array;
    },
    options: Key3PeripheralOptions = {},
  ) {
    super();
    const { mac, serialNo } = firmware.state.provisioning;
    this.address = mac.toLowerCase();
    this.id = this.address.replaceAll(':', '');
    this.advertisement = {
      localName: `HK-${serialNo.slice(-5)}`,
      serviceUuids: options.advertiseNameOnly ? [] : [ADVERTISED_SERVICE_UUID],
    };
    this.bootloader = options.bootloader ?? false;
    this.#paired = !(options.pairingRequired ?? false);
    this.#now = options.now ?? Date.now;
    this.#detach = firmware.onEvent((event) => {
      if (event.event === KeyEvent.LongPress) return this.#notify(cancelPacket());
      if (event.event === KeyEvent.ButtonPressed) {
        // The host takes any change of the button byte as a new press: bit 7 toggles.
        this.#buttonByte = ((this.#buttonByte & 0x80) ^ 0x80) | (event.presses & PRESS_CODE_MASK);
      }
      const link = this.#link;
      if (link && link.busyChannel !== undefined) link.statusDue = true;
      else this.#sendStatus();
    });
  }

  get connected(): boolean {
    return this.#link !== undefined;
  }

  get advertising(): boolean {
    return this.#available && this.#link === undefined;
  }

  get paired(): boolean {
    return this.#paired;
  }

  /** The user's short press with the key not connected: it becomes pairable (blue LED). */
  enterPairingMode(): void {
    this.#pairable = true;
  }

  /**
   * Test control: the next `count` whole requests (any channel) are answered with a
   * BUSY control packet instead of being processed, as when another host holds the
   * key; the host must send them again.
   */
  busyNext(count: number): void {
    this.#busyAnswers = count;
  }

  connect(): Promise<void> {
    if (!this.#available) return Promise.reject(key3LinkError.unavailable());
    if (this.#link) return Promise.reject(key3LinkError.alreadyConnected());
    // A pairable key bonds with the host that connects (the OS asks; the user pressed the button).
    if (this.#pairable) {
      this.#paired = true;
      this.#pairable = false;
    }
    this.#link = {
      listeners: new Set(),
      channels: new Map(),
      awake: false,
      busyChannel: undefined,
      statusDue: false,
    };
    return Promise.resolve();
  }

  disconnect(): Promise<void> {
    this.#drop();
    return Promise.resolve();
  }

  simulateLinkLoss(): void {
    const had = this.#link !== undefined;
    this.#drop();
    if (had) this.emit('disconnect');
  }

  powerOff(): void {
    this.#available = false;
    this.simulateLinkLoss();
    this.#detach();
  }

  read(characteristic: string): Promise<Uint8Array> {
    if (!this.#link) return Promise.reject(key3LinkError.notConnected());
    if (characteristic !== KEY3_UUIDS.info) return Promise.reject(key3LinkError.notPermitted());
    if (!this.#paired) return Promise.reject(key3LinkError.notPaired());
    return Promise.resolve((this.bootloader ? BOOTLOADER_INFO : APPLICATION_INFO).slice());
  }

  write(characteristic: string, data: Uint8Array): Promise<void> {
    const link = this.#link;
    if (!link) return Promise.reject(key3LinkError.notConnected());
    if (characteristic !== KEY3_UUIDS.main) return Promise.reject(key3LinkError.notPermitted());
    if (!this.#paired) return Promise.reject(key3LinkError.notPaired());
    const bytes = Uint8Array.from(data);
    if (!link.awake) {
      // The key stays silent until a first write arrives (the host's `02 01`).
      link.awake = true;
      this.#sendStatus();
      return Promise.resolve();
    }
    if (this.bootloader) return Promise.resolve(); // bootloader commands are not modelled
    this.#onPacket(link, bytes);
    return Promise.resolve();
  }

  subscribe(characteristic: string, listener: (data: Uint8Array) => void): () => void {
    const link = this.#link;
    if (!link) throw key3LinkError.notConnected();
    if (characteristic !== KEY3_UUIDS.main) throw key3LinkError.notPermitted();
    link.listeners.add(listener);
    return () => link.listeners.delete(listener);
  }

  #onPacket(link: Link, bytes: Uint8Array): void {
    let packet: Key3Notification;
    try {
      packet = classifyNotification(bytes);
    } catch {
      return; // a malformed packet is dropped, as a firmware would
    }
    if (packet.kind === 'control') {
      if (packet.code === ControlCode.RESET) {
        for (let ch = 1; ch <= CHANNELS; ch++) {
          if ((packet.channels & (1 << (ch - 1))) === 0) continue;
          const channel = link.channels.get(ch);
          channel?.session?.destroy();
          link.channels.delete(ch);
        }
      }
      // COMMIT from the host, CANCEL: nothing to do (no request waits on the host here).
      return;
    }
    if (packet.kind !== 'data') return;
    const channel = this.#channel(link, packet.channel);
    let message: Uint8Array | undefined;
    try {
      message = channel.reassembler.push(packet);
    } catch {
      return;
    }
    if (message === undefined) return;
    this.#notify(commitPacket(packet.channel, channel.reassembler.packetCount));
    if (this.#busyAnswers > 0) {
      // Not opened, so the session's counter does not move: the same request may come again.
      this.#busyAnswers -= 1;
      this.#notify(busyPacket());
      return;
    }
    void this.#onMessage(link, packet.channel, channel, message);
  }

  #channel(link: Link, number: number): Channel {
    let channel = link.channels.get(number);
    if (!channel) {
      channel = {
        reassembler: new PacketReassembler(number, KEY3_MAX_MESSAGE_BYTES + 16),
        session: undefined,
      };
      link.channels.set(number, channel);
    }
    return channel;
  }

  async #onMessage(
    link: Link,
    number: number,
    channel: Channel,
    message: Uint8Array,
  ): Promise<void> {
    if (isVerify(message)) return this.#handshake(link, number, channel, message);
    const session = channel.session;
    if (!session) {
      // No session on this channel: the key answers in plain that encryption is required.
      return this.#send(
        link,
        number,
        encodeErrorReply('firmware', Key3FirmwareError.EncryptionRequired),
      );
    }
    let plain: Uint8Array;
    try {
      plain = session.openRequest(message);
    } catch {
      return this.#send(link, number, session.sealReply(encodeErrorReply('crypto', 0x08)));
    }
    if (link.busyChannel !== undefined && link.busyChannel !== number) {
      // Another channel's request is in progress: the host re-sends after a back-off.
      this.#notify(busyPacket());
      return;
    }
    link.busyChannel = number;
    try {
      const reply = await this.#run(plain);
      if (this.#link !== link || channel.session !== session) return;
      this.#send(link, number, session.sealReply(reply.reply));
      if (reply.wiped) this.#notify(wipePacket(WipeResult.Ok));
    } catch {
      // The key lost power mid-request: nothing is sent.
    } finally {
      if (link.busyChannel === number) link.busyChannel = undefined;
    }
    // Attempts and locks may have changed: the host hears it without asking.
    link.statusDue = false;
    this.#sendStatus();
  }

  async #run(plain: Uint8Array): Promise<{ reply: Uint8Array; wiped?: boolean }> {
    const command = ((plain[0] ?? 0) << 8) | (plain[1] ?? 0);
    if (command === Key3Command.GETROOTKEY) {
      return { reply: encodeMessage(Key3Command.ROOTKEY, this.identity.certificate) };
    }
    return runKey3Command(this.firmware, plain, this.#now());
  }

  #handshake(link: Link, number: number, channel: Channel, message: Uint8Array): void {
    channel.session?.destroy();
    channel.session = undefined;
    try {
      const answer = answerHandshake({
        channel: number,
        verifyPayload: message.subarray(4, 4 + 74),
        rootPrivateKey: this.identity.rootPrivateKey,
      });
      channel.session = answer.session;
      this.#send(link, number, answer.replyMessage);
    } catch {
      const { error } = fromDeviceErrorCode(DeviceErrorCode.ERR_INVALID_PARAMETER);
      this.#send(link, number, encodeErrorReply('firmware', error));
    }
  }

  #send(link: Link, channel: number, message: Uint8Array): void {
    if (this.#link !== link) return;
    for (const packet of encodeMessagePackets(channel, message)) this.#notify(packet);
  }

  #sendStatus(): void {
    const link = this.#link;
    if (!link?.awake || this.bootloader || !this.firmware.isPowered) return;
    const info = this.firmware.info();
    const access = accessFlagsToBits(info.access);
    this.#notify(
      encodeStatus({
        battery: info.battery,
        rssi: this.rssi,
        pinAttemptsRemain: info.pinAttemptsRemain,
        storageUpdateCounter: 0,
        otherConnections: 0,
        buttonByte: this.#buttonByte,
        // Every channel sees the same key state in this model.
        accessLevels: Array.from({ length: CHANNELS }, () => access),
      }),
    );
  }

  #notify(packet: Uint8Array): void {
    const link = this.#link;
    if (!link?.awake) return;
    setImmediate(() => {
      if (this.#link !== link) return;
      for (const listener of link.listeners) listener(packet.slice());
    });
  }

  #drop(): void {
    const link = this.#link;
    if (!link) return;
    this.#link = undefined;
    for (const channel of link.channels.values()) channel.session?.destroy();
    link.listeners.clear();
  }
}

const isVerify = (message: Uint8Array): boolean =>
  message.length === VERIFY_MESSAGE_BYTES && VERIFY_HEADER.every((b, i) => message[i] === b);
