// The public keys that certify a Key 3's root key (reference §4.4). A packaged
// app accepts only the real vendor key; the test key signs the certificates of
// the virtual Key 3 and of the tests, and its private half lives with them, never
// in device/.

const fromHex = (hex: string): Uint8Array =>
  Uint8Array.from(hex.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));

/** The vendor's root-certifying key (the library's exported MasterKey; the same in the Windows build). */
export const REAL_VENDOR_PUBLIC_KEY: Uint8Array = fromHex(
  '04acb23223451329d9f2e27090af5be2d000f224af85b5e9f429ccd2db1fb435f0' +
    'a1f4fe17f96c9f1f2d9c11bad5cfe762130a3211022cd9ba195301cf66c4d6e0',
);

/** The key that signs test certificates (virtual Key 3, tests). Never trusted by a packaged app. */
export const TEST_VENDOR_PUBLIC_KEY: Uint8Array = fromHex(
  '04d1554c11e576ea2d6c289405aba9fb2b9fee5b21fdbe9a923b97155fe200567a' +
    'ce34773c57ddd3670a52bbecb8c5b6685afbe95b31e8833cc1523c2d09ba50ed',
);
