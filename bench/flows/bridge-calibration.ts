// The bridge that carries the key links between processes costs the companion's
// process some CPU per message that a real HID or BLE stack would spend differently.
// It is measured here (64-byte messages each way) so the flows' CPU can be shown with
// the bridge's estimated share taken out.
import type { CompanionProcess } from '../companion/companion-process';
import type { Usage } from '../companion/protocol';

export interface BridgeCost {
  readonly messages: number;
  /** CPU per message received by the companion's process, µs. */
  readonly inboundUs: number;
  /** CPU per message sent by it, µs. */
  readonly outboundUs: number;
  readonly meanUs: number;
}

const cpuUs = (u: Usage): number => u.userUs + u.systemUs;

export async function calibrateBridge(
  companion: CompanionProcess,
  messages: number,
): Promise<BridgeCost> {
  const start = await companion.usage();
  companion.noise(messages);
  // Answered after every message before it has been handled (one ordered channel).
  const received = await companion.usage();
  const sent = (await companion.call({ c: 'emit', count: messages })) as Usage;
  const inboundUs = (cpuUs(received) - cpuUs(start)) / messages;
  const outboundUs = (cpuUs(sent) - cpuUs(received)) / messages;
  return { messages, inboundUs, outboundUs, meanUs: (inboundUs + outboundUs) / 2 };
}
