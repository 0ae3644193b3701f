/** `AuditStamp` from a pair of who/when columns; null when the action has not happened. */
export function stamp(by: string | null | undefined, at: Date | null | undefined): { by: string | null; at: Date } | null {
  return at ? { by: by ?? null, at } : null;
}

/** Coordinates as a `GeoPoint`; double columns may come back as strings from the driver. */
export function geoPoint(latitude: number | string | null | undefined, longitude: number | string | null | undefined) {
  return latitude != null && longitude != null ? { latitude: Number(latitude), longitude: Number(longitude) } : null;
}
