// cpp_lambda: C++ callables - lambdas capturing by value and by reference,
// mutable and generic lambdas, std::function stored in containers and
// reassigned, recursion through std::function, std::bind, lambdas as
// comparators, returning closures, std::optional and std::variant/visit.
#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <variant>
#include <vector>

static std::function<int(int)> make_adder(int n) {
    return [n](int x) { return x + n; };
}

static std::function<int()> make_counter() {
    int count = 0;
    return [count]() mutable { return ++count; };
}

static int apply_twice(const std::function<int(int)> &f, int x) { return f(f(x)); }

static int mul(int a, int b, int c) { return a * 100 + b * 10 + c; }

static std::optional<int> parse_digit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    return std::nullopt;
}

int main() {
    int base = 10;
    auto by_value = [base](int x) { return x + base; };
    auto by_ref = [&base](int x) { return x + base; };
    base = 20;
    std::cout << "by value: " << by_value(1) << ", by reference: " << by_ref(1) << "\n";

    auto counter = make_counter();
    counter();
    counter();
    auto copy = counter;
    std::cout << "counter: " << counter() << ", copy continues independently: " << copy() << " " << copy() << "\n";

    auto generic = [](auto a, auto b) { return a + b; };
    std::cout << "generic: " << generic(1, 2) << " " << generic(1.5, 2.25) << " "
              << generic(std::string("ab"), std::string("cd")) << "\n";

    std::vector<std::function<int(int)>> pipeline = {make_adder(3), [](int x) { return x * x; },
                                                     std::negate<int>(), make_adder(100)};
    int v = 4;
    for (auto &f : pipeline)
        v = f(v);
    std::cout << "pipeline(4) = " << v << "\n";

    std::map<std::string, std::function<double(double, double)>> ops;
    ops["add"] = std::plus<double>();
    ops["sub"] = [](double a, double b) { return a - b; };
    ops["pow"] = [](double a, double b) {
        double r = 1;
        for (int i = 0; i < static_cast<int>(b); i++)
            r *= a;
        return r;
    };
    for (const auto &[name, op] : ops)
        std::cout << name << "(2, 10) = " << op(2, 10) << "\n";
    std::function<double(double, double)> empty;
    std::cout << "empty function is false: " << !empty << "\n";
    try {
        empty(1, 2);
    } catch (const std::bad_function_call &e) {
        std::cout << "calling empty std::function throws: " << e.what() << "\n";
    }

    std::function<long(int)> fact = [&fact](int n) -> long { return n <= 1 ? 1 : n * fact(n - 1); };
    std::cout << "recursive std::function fact(15) = " << fact(15) << "\n";
    std::cout << "apply_twice(adder 7, 1) = " << apply_twice(make_adder(7), 1) << "\n";

    using namespace std::placeholders;
    auto bound = std::bind(mul, _2, 5, _1);
    std::cout << "bind: " << bound(1, 9) << "\n";

    std::vector<std::string> names = {"Zoe", "adam", "Bob", "carol", "dave", "Eve"};
    std::sort(names.begin(), names.end(), [](const std::string &a, const std::string &b) {
        std::string la = a, lb = b;
        std::transform(la.begin(), la.end(), la.begin(), ::tolower);
        std::transform(lb.begin(), lb.end(), lb.begin(), ::tolower);
        return la < lb;
    });
    for (const auto &n : names)
        std::cout << n << ' ';
    std::cout << "\n";
    int total = 0;
    std::for_each(names.begin(), names.end(), [&total](const std::string &s) { total += s.size(); });
    std::cout << "total length " << total << ", count_if len>3: "
              << std::count_if(names.begin(), names.end(), [](const std::string &s) { return s.size() > 3; })
              << "\n";

    std::string digits = "4a7";
    for (char c : digits) {
        auto d = parse_digit(c);
        std::cout << c << " -> " << (d ? std::to_string(*d) : std::string("none")) << " value_or=" << d.value_or(-1)
                  << "\n";
    }

    using Value = std::variant<int, double, std::string>;
    std::vector<Value> values = {1, 2.5, std::string("three"), 4};
    for (const auto &val : values) {
        std::visit(
            [](const auto &x) {
                using T = std::decay_t<decltype(x)>;
                if constexpr (std::is_same_v<T, int>)
                    std::cout << "int " << x << "\n";
                else if constexpr (std::is_same_v<T, double>)
                    std::cout << "double " << x << "\n";
                else
                    std::cout << "string " << x << "\n";
            },
            val);
    }
    std::cout << "index of third: " << values[2].index() << ", holds int: " << std::holds_alternative<int>(values[3])
              << "\n";
    std::vector<int> nums(10);
    std::iota(nums.begin(), nums.end(), 1);
    int prod = std::accumulate(nums.begin(), nums.end(), 1, [](int a, int b) { return a * b % 1000003; });
    std::cout << "product mod 1000003 = " << prod << "\n";
    return 0;
}
