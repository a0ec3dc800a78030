// The TEST vendor key of the Key 3 reference's vectors (vectors.json meta.testVendorKey):
// it certifies the virtual Key 3s of the demo and the tests, which the companion
// accepts only when told to (the packaged app accepts the real vendor key alone).
// The emulator is never packaged, so this private key never ships.
import { TEST_VENDOR_PUBLIC_KEY } from '../../device/key3/crypto/vendor-keys';

export const TEST_VENDOR_PRIVATE_KEY: Uint8Array = Uint8Array.from(
  Buffer.from('be169955b9f2e576c39063b3a4ed879a14a10ef1ba6eb4c477f5f2dc9dd07d4f', 'hex'),
);

export { TEST_VENDOR_PUBLIC_KEY };
