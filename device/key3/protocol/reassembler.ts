// Collects the data packets of one message on one channel (reference §2.1). The
// vendor host refuses a packet on another channel (InvalidChannelNo) and any index
// out of order (BleInvalidPacketNumber); so does this, and it then drops the
// partial message, so the next message must start again at index 0.
import { ProtocolErrorCode, protocolError } from '../../protocol/protocol-error';
import { checkInteger } from './bytes';
import { checkChannel } from './channels';
import { MAX_MESSAGE_BYTES, PACKET_BODY_SIZE, type DataPacket } from './packets';

export class PacketReassembler {
  readonly channel: number;
  readonly maxMessageBytes: number;
  #bodies: Uint8Array[] = [];
  #packetCount = 0;

  /** maxMessageBytes: 16..32752 (2047 packets), the largest message accepted. */
  constructor(channel: number, maxMessageBytes: number = MAX_MESSAGE_BYTES) {
    checkChannel(channel);
    checkInteger('maxMessageBytes', maxMessageBytes, PACKET_BODY_SIZE, MAX_MESSAGE_BYTES);
    this.channel = channel;
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Packets of the last completed message: what the receiver acknowledges in COMMIT. 0 before any. */
  get packetCount(): number {
    return this.#packetCount;
  }

  /** Whether part of a message has arrived. */
  get inProgress(): boolean {
    return this.#bodies.length > 0;
  }

  /** The whole message once its last packet arrives, else undefined. */
  push(packet: DataPacket): Uint8Array | undefined {
    const expected = this.#bodies.length;
    if (packet.channel !== this.channel) {
      this.reset();
      throw protocolError(ProtocolErrorCode.BadChannel, 'a packet for another channel', {
        expected: this.channel,
        got: packet.channel,
      });
    }
    if (packet.index !== expected) {
      this.reset();
      throw protocolError(ProtocolErrorCode.BadSequence, 'a packet out of order', {
        expected,
        got: packet.index,
      });
    }
    if (packet.body.length !== PACKET_BODY_SIZE) {
      this.reset();
      throw protocolError(ProtocolErrorCode.BadField, 'a packet body is 16 bytes', {
        field: 'body',
        length: packet.body.length,
      });
    }
    if ((expected + 1) * PACKET_BODY_SIZE > this.maxMessageBytes) {
      this.reset();
      throw protocolError(ProtocolErrorCode.Overlong, 'a message longer than allowed', {
        max: this.maxMessageBytes,
      });
    }
    this.#bodies.push(packet.body.slice());
    if (!packet.last) return undefined;
    const message = new Uint8Array(this.#bodies.length * PACKET_BODY_SIZE);
    this.#bodies.forEach((body, i) => message.set(body, i * PACKET_BODY_SIZE));
    this.#packetCount = this.#bodies.length;
    this.#bodies = [];
    return message;
  }

  /** Drops a partial message. */
  reset(): void {
    this.#bodies = [];
  }
}
