/** Reports written on this device and not yet accepted by the server, for the user given. */
export async function countUnsent(_userId: string): Promise<number> {
  return 0;
}
