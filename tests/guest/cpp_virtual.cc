// cpp_virtual: C++ object model - virtual dispatch through base pointers,
// pure virtual interfaces, virtual destructors (destruction order), multiple
// and virtual inheritance, dynamic_cast and typeid, static/global object
// construction before main and destruction after it, and templates (function
// and class templates, specialization, variadic templates, CRTP,
// constexpr evaluation, SFINAE-like if constexpr).
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <vector>

struct Announcer {
    const char *name;
    explicit Announcer(const char *n) : name(n) { std::printf("global %s constructed\n", name); }
    ~Announcer() { std::printf("global %s destroyed\n", name); }
};
static Announcer first_global("first");
static Announcer second_global("second");

struct Shape {
    virtual ~Shape() { std::cout << "  ~Shape\n"; }
    virtual double area() const = 0;
    virtual std::string name() const { return "shape"; }
    std::string describe() const { return name() + " with area " + std::to_string(area()); }
};

struct Rect : Shape {
    double w, h;
    Rect(double w_, double h_) : w(w_), h(h_) {}
    ~Rect() override { std::cout << "  ~Rect\n"; }
    double area() const override { return w * h; }
    std::string name() const override { return "rect"; }
};

struct Square final : Rect {
    explicit Square(double s) : Rect(s, s) {}
    ~Square() override { std::cout << "  ~Square\n"; }
    std::string name() const override { return "square"; }
};

struct Circle : Shape {
    double r;
    explicit Circle(double r_) : r(r_) {}
    double area() const override { return 3.0 * r * r; }
};

// Diamond with virtual inheritance.
struct Animal {
    int legs = 0;
    virtual ~Animal() = default;
    virtual const char *sound() const { return "..."; }
};
struct Walker : virtual Animal {
    Walker() { legs += 2; }
};
struct Swimmer : virtual Animal {
    Swimmer() { legs += 0; }
    const char *sound() const override { return "blub"; }
};
struct Duck : Walker, Swimmer {
    const char *sound() const override { return "quack"; }
};

// Templates.
template <typename T> T max_of(T a, T b) { return a < b ? b : a; }

template <typename T, int N> struct Buffer {
    T data[N];
    constexpr int size() const { return N; }
    T sum() const {
        T s{};
        for (int i = 0; i < N; i++)
            s += data[i];
        return s;
    }
};

template <typename T> struct TypeName { static const char *get() { return "unknown"; } };
template <> struct TypeName<int> { static const char *get() { return "int"; } };
template <> struct TypeName<double> { static const char *get() { return "double"; } };

template <typename... Ts> auto sum_all(Ts... xs) { return (xs + ... + 0); }

template <typename Derived> struct Counter {
    int count() const { return static_cast<const Derived *>(this)->items() * 10; }
};
struct Basket : Counter<Basket> {
    int items() const { return 4; }
};

constexpr unsigned long factorial(unsigned n) { return n <= 1 ? 1 : n * factorial(n - 1); }
static_assert(factorial(10) == 3628800, "constexpr factorial");

template <typename T> std::string kind_of(const T &) {
    if constexpr (std::is_integral_v<T>)
        return "integral";
    else if constexpr (std::is_floating_point_v<T>)
        return "floating";
    else
        return "other";
}

int main() {
    std::cout << "main starts\n";
    {
        std::vector<std::unique_ptr<Shape>> shapes;
        shapes.push_back(std::make_unique<Rect>(2, 3));
        shapes.push_back(std::make_unique<Square>(4));
        shapes.push_back(std::make_unique<Circle>(1.5));
        for (const auto &s : shapes)
            std::cout << s->describe() << " | typeid: " << typeid(*s).name()
                      << " | is Rect: " << (dynamic_cast<Rect *>(s.get()) != nullptr) << "\n";
        std::cout << "destroying shapes:\n";
    }
    Duck d;
    Animal &a = d;
    Walker &w = d;
    std::cout << "duck legs=" << d.legs << " sound via Animal&=" << a.sound() << " via Walker&=" << w.sound()
              << " cross-cast to Swimmer: " << (dynamic_cast<Swimmer *>(&w) != nullptr) << "\n";

    std::cout << "max_of: " << max_of(3, 9) << " " << max_of(2.5, -1.0) << " " << max_of<std::string>("pear", "apple")
              << "\n";
    Buffer<int, 5> bi{{1, 2, 3, 4, 5}};
    Buffer<double, 3> bd{{0.5, 0.25, 0.125}};
    std::cout << "Buffer sums: " << bi.sum() << " (size " << bi.size() << ") " << bd.sum() << "\n";
    std::cout << "TypeName: " << TypeName<int>::get() << " " << TypeName<double>::get() << " "
              << TypeName<char>::get() << "\n";
    std::cout << "sum_all: " << sum_all(1, 2, 3, 4) << " " << sum_all() << " " << sum_all(1.5, 2.5) << "\n";
    std::cout << "CRTP count: " << Basket().count() << "\n";
    constexpr auto f20 = factorial(20);
    std::cout << "factorial(20) = " << f20 << "\n";
    std::cout << "kind_of: " << kind_of(1) << " " << kind_of(1.0f) << " " << kind_of(std::string()) << "\n";
    std::cout << "typeid names: " << typeid(int).name() << " " << typeid(Duck).name() << " "
              << typeid(Buffer<int, 5>).name() << "\n";
    std::cout << "main ends\n";
    return 0;
}
