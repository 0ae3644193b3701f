export default async function globalTeardown() {
  await globalThis.conumTestDatabase?.drop();
}
