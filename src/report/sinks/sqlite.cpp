#include "report/sinks/sqlite.hpp"

#include "whitezone/error.hpp"

#include "common/files.hpp"

namespace whitezone::report::sqlite {

std::string ident(const std::string& s) {
    std::string out = "\"";
    for (const char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + '"';
}

Connection::Connection(const std::filesystem::path& file, std::string stage,
                       const std::string& what)
    : m_file(file.string()), m_stage(std::move(stage)) {
    sqlite3* db = nullptr;
    // One thread at a time uses a connection: no SQLite mutex around each call.
    const int rc =
        sqlite3_open_v2(m_file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    m_db.reset(db);
    if (rc != SQLITE_OK)
        fail(what);
}

void Connection::fail(const std::string& what) const {
    // SQLite's "database or disk is full" with where and what to do (the output is written
    // to a temporary file beside the target: that disk).
    std::string hint;
    if (m_db && sqlite3_errcode(m_db.get()) == SQLITE_FULL) {
        hint = files::full_disk_hint(m_file);
        if (hint.empty())
            hint = ": free some space or write the output elsewhere";
    }
    throw ExternalError(m_stage + ": cannot " + what + " in '" + m_file +
                        "': " + (m_db ? sqlite3_errmsg(m_db.get()) : "out of memory") + hint);
}

void Connection::exec(const std::string& sql, const std::string& what) {
    if (sqlite3_exec(m_db.get(), sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
        fail(what);
}

Stmt Connection::prepare(const std::string& sql, const std::string& what) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(m_db.get(), sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
        fail(what);
    return Stmt(s);
}

void Connection::run(Stmt& s, const std::string& what) {
    if (sqlite3_step(s.get()) != SQLITE_DONE)
        fail(what);
    sqlite3_reset(s.get());
}

bool Connection::next(Stmt& s, const std::string& what) {
    const int rc = sqlite3_step(s.get());
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        fail(what);
    return rc == SQLITE_ROW;
}

} // namespace whitezone::report::sqlite
