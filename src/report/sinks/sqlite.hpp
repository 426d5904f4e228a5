#pragma once
// One SQLite connection to a GeoPackage the sinks finish themselves (its rows,
// gpkg_rows.hpp; its spatial indexes, gpkg_rtree.hpp): every failure names the stage, the
// step and the file.

#include <filesystem>
#include <memory>
#include <sqlite3.h>
#include <string>

namespace whitezone::report::sqlite {

struct StmtFinalize {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalize>;

/// An SQL identifier in double quotes (values are bound, never spliced in).
std::string ident(const std::string& s);

class Connection {
  public:
    /// Opens `file` (which must exist) for reading and writing; `what` says why, for the
    /// error ("open it for its spatial indexes"). Used by one thread at a time.
    Connection(const std::filesystem::path& file, std::string stage, const std::string& what);

    /// Throws ExternalError "<stage>: cannot <what> in '<file>': <SQLite's message>".
    [[noreturn]] void fail(const std::string& what) const;

    void exec(const std::string& sql, const std::string& what);
    Stmt prepare(const std::string& sql, const std::string& what);
    /// Runs a statement that returns no rows, then makes it ready for the next bindings.
    void run(Stmt& s, const std::string& what);
    /// Steps a query: true while it has a row.
    bool next(Stmt& s, const std::string& what);

    [[nodiscard]] sqlite3* get() const { return m_db.get(); }

  private:
    struct Close {
        void operator()(sqlite3* db) const { sqlite3_close(db); }
    };
    std::string m_file;
    std::string m_stage;
    std::unique_ptr<sqlite3, Close> m_db;
};

} // namespace whitezone::report::sqlite
