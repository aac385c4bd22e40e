// Permission requests (camera, notifications, clipboard, HID, ...): the app needs none, so every request
// and every check is denied.

export function isPermissionGranted(_permission: string): false {
  return false;
}
