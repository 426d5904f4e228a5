#pragma once
// Output safety, in one place (docs/output.md#replacing-an-output):
// - what may be replaced: a GeoPackage file where a GeoPackage is written, a folder that
//   holds whitezone's manifest where a folder is written; never a symbolic link, a device,
//   a FIFO, a socket, or a file or folder whitezone did not write;
// - how: written under a temporary name beside the target, every file flushed and fsynced,
//   swapped in with one atomic step (renameat2(RENAME_EXCHANGE); a plain rename for a file
//   where exchange is not supported, two renames for a folder, with the old one restored by
//   the next run if a crash falls between them), then the folder fsynced;
// - temporaries of dead processes (the PID is in their name) are removed by the next write
//   of the same target.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace whitezone::atomic {

/// The manifest file whitezone writes into every output folder: the mark that lets
/// --overwrite replace that folder.
inline constexpr std::string_view kManifest = ".whitezone.json";

/// What an output is.
enum class Kind : std::uint8_t {
    GeoPackage, ///< one GeoPackage file
    Svg,        ///< one SVG file (a chart)
    Folder,     ///< a folder of files
    File,       ///< one regular file of another kind (a CSV table, a GeoTIFF)
};

/// Throws InputError (message prefixed with `stage`) when `target` exists and may not be
/// replaced: always when it is a symbolic link, a device, a FIFO or a socket, or of the wrong
/// kind (a folder where a file is written and back), a file that is not a GeoPackage (an
/// SVG), a folder without whitezone's manifest; else when `overwrite` is false. Touches
/// nothing.
/// `flag` is the flag that names the target in the suggestions ("--out", "--chart").
void check_replaceable(const std::filesystem::path& target, Kind kind, bool overwrite,
                       std::string_view stage, std::string_view flag = "--out");

/// Where `path` lies against the output `target`: nowhere in it, the same file (by any path,
/// a link or a hard link), or inside it when the output is a `folder`.
enum class Overlap : std::uint8_t { None, Same, Inside };
Overlap overlap(const std::filesystem::path& target, bool folder,
                const std::filesystem::path& path);

/// Throws InputError (message prefixed with `stage`) when `target`, an output about to be
/// written, is the input `input_path` given to `input_flag` (the same file by any path, a link
/// or a hard link) or, when `folder`, holds it: the input would be lost, so it is refused even
/// with --overwrite. Connection strings ("PG:…", "/vsi…") and "" are skipped. Touches nothing.
void check_not_an_input(const std::filesystem::path& target, bool folder,
                        std::string_view input_flag, const std::string& input_path,
                        std::string_view stage, std::string_view flag = "--out");

/// Whether `path` is a regular file that starts like a GeoPackage (an SQLite file whose
/// application id is "GPKG" or "GP1x").
bool is_geopackage(const std::filesystem::path& path);

/// Removes what dead whitezone processes left beside `target`: their temporaries (named
/// ".<name>.wztmp-<pid>…", and the ".<stem>.tmp<pid>…" of older versions) and their old
/// outputs moved aside (".<name>.wzold-<pid>"), which are moved back when `target` is
/// missing. Errors are ignored: this is housekeeping. Call it before check_replaceable(), so
/// that an output put back is checked like any other.
void remove_stale(const std::filesystem::path& target);

/// Writes `target` atomically. Calls `write(temp)` with a temporary path in the target's
/// folder (for a file a path ending in the target's extension; for a folder an
/// empty folder that exists), adds the manifest `manifest` (JSON text) to a folder, fsyncs
/// every file and folder written, then swaps the temporary in with one atomic step and
/// fsyncs the parent folder. The caller checks the overwrite rules first
/// (check_replaceable()). Throws what `write` throws, or ExternalError when flushing or
/// the swap fails (a full disk); the temporary is removed and an existing target is left
/// as it was.
void write(const std::filesystem::path& target, Kind kind, const std::string& manifest,
           const std::function<void(const std::filesystem::path& temp)>& write);

/// One output of several that belong together (a GeoPackage and the GeoTIFFs beside it):
/// written and synced under a temporary name at construction, like write(), but swapped in
/// only by commit(), so that every part is written before any is swapped in. Destroyed
/// without commit() (a later part failed), it removes its temporary: `target` is untouched.
class Staged {
  public:
    /// Writes `target`'s new content as write() does, up to the swap. Throws what write()
    /// throws, leaving nothing behind.
    Staged(std::filesystem::path target, Kind kind, const std::string& manifest,
           const std::function<void(const std::filesystem::path& temp)>& write);
    Staged(Staged&& other) noexcept;
    Staged& operator=(Staged&&) = delete;
    Staged(const Staged&) = delete;
    Staged& operator=(const Staged&) = delete;
    ~Staged();

    /// Swaps the temporary in (one atomic step) and fsyncs the folder. Throws ExternalError
    /// when the swap fails; the target is then as it was.
    void commit();

  private:
    std::filesystem::path m_target, m_temp;
    Kind m_kind;
    bool m_pending = true;
};

/// Writes `text` into `file` (the temporary that write() or Staged hands over). Throws
/// ExternalError "<stage>: cannot write '<shown>'…" when the stream fails (a full disk).
void write_text(const std::filesystem::path& file, std::string_view text, std::string_view stage,
                const std::string& shown);

/// fsync()s a file or folder; throws ExternalError "<stage>: cannot flush '<path>' to
/// disk: <reason>" on failure.
void sync(const std::filesystem::path& path, std::string_view stage);

} // namespace whitezone::atomic
