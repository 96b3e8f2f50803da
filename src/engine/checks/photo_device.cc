// check: photo_device — a photo for an official account was taken on a device
// that is not on the approved devices register (MERCIA-PHOTO-1, LT2-7.2-1),
// judged from the camera its EXIF names: the serial number when the camera
// writes one, else its make and model against devices registered without a
// serial ("school iPads").
//
// A photo that names no camera (most phones strip nothing, but messaging apps
// do) says nothing here; the official-post checklist asks the author which
// device took it.
#include "base/strings.h"
#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {

class PhotoDeviceCheck final : public Check {
 public:
  void Run(const CheckContext& ctx) const override {
    for (size_t i = 0; i < ctx.event.media.size(); ++i) {
      const Media& m = ctx.event.media[i];
      if (!m.image || !m.image->metadata.camera_identified()) continue;
      const vision::Metadata& md = m.image->metadata;
      std::string camera = md.make;
      if (!md.model.empty()) camera += (camera.empty() ? "" : " ") + md.model;
      if (!md.serial.empty())
        camera +=
            (camera.empty() ? "serial " : " (serial ") + md.serial + (camera.empty() ? "" : ")");
      const std::string field = "media[" + std::to_string(i) + "].metadata.camera";
      const std::string image = ImageLabel(i, m);
      if (!ctx.registers.has_devices) {
        ctx.CannotDecide(image + " was taken on " + camera +
                         "; no approved devices register (devices.csv) to check it against");
        continue;
      }
      const Device* d = ctx.registers.FindDeviceBySerial(md.serial);
      if (!d && md.serial.empty()) d = ByModel(ctx.registers, md);
      if (d && d->approved) continue;
      if (d) {
        ctx.Emit(image + " was taken on device " + d->id + " (" + camera +
                     "), whose approval has been withdrawn.",
                 {FieldEvidence(field, camera)});
      } else {
        ctx.Emit(
            image + " was taken on " + camera + ", which is not on the approved devices register.",
            {FieldEvidence(field, camera)});
      }
    }
  }

 private:
  // A device registered without a serial, described by make and model.
  static const Device* ByModel(const Registers& r, const vision::Metadata& md) {
    const std::string want = ToLowerAscii(md.make + " " + md.model);
    for (const Device& d : r.devices) {
      if (!d.serial.empty() || d.description.empty()) continue;
      const std::string desc = ToLowerAscii(d.description);
      if (!md.model.empty() && desc.find(ToLowerAscii(md.model)) != std::string::npos) return &d;
      if (desc == want) return &d;
    }
    return nullptr;
  }
};
}  // namespace

Result<std::unique_ptr<Check>> MakePhotoDevice(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({}));
  return std::unique_ptr<Check>(new PhotoDeviceCheck());
}

}  // namespace gh::engine::checks
