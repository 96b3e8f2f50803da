// Metadata: what a photo says about itself (EXIF, XMP, IPTC, via exiv2), and
// the same image with all of it removed.
//
// A phone photo of a sports day carries the GPS position of the school field,
// the phone's make, model and often its serial number, and the minute it was
// taken. Gatehouse reads these to judge the post (a location that reveals
// where a child is; a photo not taken on an approved device) and publishes
// only the stripped copy.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace gh::vision {

struct GeoPoint {
  double lat = 0, lon = 0;  // degrees, north and east positive
};

struct Metadata {
  std::optional<GeoPoint> gps;
  std::string make, model, serial;  // camera (Exif.Image.Make/Model, a body serial)
  std::string software;
  std::string captured_at;  // "2026-05-01T14:03:00" (the camera's local time, no zone)
  int orientation = 1;      // EXIF orientation, 1 = upright
  // Every metadata key present ("Exif.GPSInfo.GPSLatitude", "Xmp.dc.creator"...),
  // so a report can say what stripping removed.
  std::vector<std::string> keys;

  bool camera_identified() const { return !make.empty() || !model.empty() || !serial.empty(); }
};

// Reads the metadata of an encoded image. An image without metadata gives an
// empty Metadata; metadata exiv2 cannot parse is an InvalidArgument.
Result<Metadata> ReadMetadata(std::string_view bytes);

// The EXIF orientation of an encoded image (1 = upright), 1 when it has none
// or it cannot be read.
int ReadOrientation(std::string_view bytes);

// The same image with every EXIF, XMP and IPTC field, comment and ICC profile
// removed, losslessly where the format allows. A photo whose EXIF orientation
// is not upright is re-encoded with the rotation applied, so that removing
// the tag does not turn it on its side. The result is checked: if any
// metadata could still be read from it, this is an error, never a copy that
// merely looks clean.
Result<std::string> StripMetadata(std::string_view bytes);

}  // namespace gh::vision
