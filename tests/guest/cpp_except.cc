// cpp_except: C++ exceptions - throw/catch of builtin and standard types
// across many frames with RAII destructors running during unwinding, a
// custom exception hierarchy caught by base reference, rethrow with
// `throw;`, std::exception_ptr, nested exceptions, exceptions from
// constructors, function-try-blocks, noexcept queries, standard library
// exceptions (out_of_range, bad_alloc for a huge allocation, bad_cast).
#include <exception>
#include <iostream>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

struct Guard {
    std::string name;
    explicit Guard(std::string n) : name(std::move(n)) { std::cout << "  enter " << name << "\n"; }
    ~Guard() { std::cout << "  leave " << name << "\n"; }
};

struct AppError : std::runtime_error {
    int code;
    AppError(const std::string &m, int c) : std::runtime_error(m), code(c) {}
};

struct IoError : AppError {
    std::string path;
    IoError(const std::string &p) : AppError("cannot open " + p, 2), path(p) {}
};

static void level3(int kind) {
    Guard g("level3");
    switch (kind) {
    case 0:
        throw 42;
    case 1:
        throw std::string("a string");
    case 2:
        throw IoError("/nonexistent");
    case 3:
        throw std::logic_error("logic");
    case 4:
        throw 2.5;
    default:
        break;
    }
    std::cout << "  level3 returns normally\n";
}

static void level2(int kind) {
    Guard g("level2");
    level3(kind);
}

static void level1(int kind) {
    Guard g("level1");
    try {
        level2(kind);
    } catch (const AppError &e) {
        std::cout << "  level1 saw AppError(" << e.what() << "), rethrowing\n";
        throw;
    }
}

struct Throws {
    Guard member{"member"};
    explicit Throws(bool t) {
        if (t)
            throw std::invalid_argument("constructor failed");
    }
};

static int function_try(int x) try {
    if (x < 0)
        throw std::domain_error("negative");
    return x * 2;
} catch (const std::domain_error &e) {
    std::cout << "function-try-block caught: " << e.what() << "\n";
    return -1;
}

static int deep_throw(int n) {
    std::vector<int> v(16, n);
    if (n == 0)
        throw std::out_of_range("bottom reached");
    return deep_throw(n - 1) + v[3];
}

struct Base {
    virtual ~Base() = default;
};
struct Derived : Base {};
struct Other : Base {};

int main() {
    for (int kind = 0; kind <= 5; kind++) {
        std::cout << "kind " << kind << ":\n";
        try {
            level1(kind);
            std::cout << "  no exception\n";
        } catch (int i) {
            std::cout << "  caught int " << i << "\n";
        } catch (const std::string &s) {
            std::cout << "  caught std::string '" << s << "'\n";
        } catch (const IoError &e) {
            std::cout << "  caught IoError path=" << e.path << " code=" << e.code << " what=" << e.what() << "\n";
        } catch (const std::exception &e) {
            std::cout << "  caught std::exception: " << e.what() << "\n";
        } catch (...) {
            std::cout << "  caught something else\n";
        }
    }

    try {
        Throws t(true);
    } catch (const std::invalid_argument &e) {
        std::cout << "constructor exception: " << e.what() << "\n";
    }
    int ok_value = function_try(5);
    int caught_value = function_try(-5);
    std::cout << "function_try(5)=" << ok_value << " function_try(-5)=" << caught_value << "\n";

    try {
        deep_throw(2000);
    } catch (const std::out_of_range &e) {
        std::cout << "caught from 2000 frames deep: " << e.what() << "\n";
    }

    std::exception_ptr saved;
    try {
        throw AppError("saved for later", 7);
    } catch (...) {
        saved = std::current_exception();
    }
    try {
        std::rethrow_exception(saved);
    } catch (const AppError &e) {
        std::cout << "rethrown exception_ptr: " << e.what() << " code " << e.code << "\n";
    }

    try {
        try {
            throw std::runtime_error("inner");
        } catch (...) {
            std::throw_with_nested(std::logic_error("outer"));
        }
    } catch (const std::logic_error &e) {
        std::cout << "nested: outer=" << e.what();
        try {
            std::rethrow_if_nested(e);
        } catch (const std::runtime_error &inner) {
            std::cout << " inner=" << inner.what() << "\n";
        }
    }

    std::vector<int> v(3);
    try {
        v.at(10) = 1;
    } catch (const std::out_of_range &e) {
        std::cout << "vector::at: " << e.what() << "\n";
    }
    try {
        std::string("abc").substr(10);
    } catch (const std::out_of_range &e) {
        std::cout << "string::substr: " << e.what() << "\n";
    }
    try {
        void *p = ::operator new(static_cast<size_t>(1) << 62);
        std::cout << "huge allocation unexpectedly succeeded\n";
        ::operator delete(p);
    } catch (const std::bad_alloc &e) {
        std::cout << "bad_alloc: " << e.what() << "\n";
    }
    Derived d;
    Base &b = d;
    try {
        (void)dynamic_cast<Other &>(b);
    } catch (const std::bad_cast &e) {
        std::cout << "bad_cast: " << e.what() << "\n";
    }
    int *nt = new (std::nothrow) int[4]{1, 2, 3, 4};
    std::cout << "nothrow new ok: " << (nt != nullptr) << " noexcept(level1)=" << noexcept(level1(0))
              << " noexcept(Guard dtor)=" << noexcept(std::declval<Guard &>().~Guard()) << "\n";
    delete[] nt;
    std::cout << "uncaught_exceptions()=" << std::uncaught_exceptions() << "\n";
    return 0;
}
