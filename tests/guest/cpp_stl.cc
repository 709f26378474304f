// cpp_stl: the C++ standard library - iostream output (with manipulators),
// std::string operations and conversions, std::vector/deque/list, std::map,
// std::set, std::unordered_map (printed sorted), <algorithm>/<numeric>,
// std::ostringstream/istringstream, std::unique_ptr/shared_ptr.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <iomanip>
#include <iostream>
#include <list>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

int main() {
    std::cout << "hello from iostream, " << 42 << ' ' << 3.5 << ' ' << true << ' ' << std::boolalpha << true
              << std::endl;
    std::cout << std::hex << 255 << ' ' << std::showbase << 255 << std::dec << ' ' << std::setw(8)
              << std::setfill('.') << 17 << std::setfill(' ') << '|' << std::left << std::setw(6) << "ab" << '|'
              << std::right << std::endl;
    std::cout << std::fixed << std::setprecision(3) << 3.14159265 << ' ' << std::scientific << 12345.678
              << std::defaultfloat << ' ' << std::setprecision(17) << 0.1 << std::endl;
    std::cerr << "to std::cerr" << std::endl;

    std::string s = "The quick brown fox";
    s += " jumps";
    s.append(" over", 5);
    s.insert(0, ">> ");
    s.replace(s.find("quick"), 5, "slow");
    std::cout << s << " | size=" << s.size() << " find(fox)=" << s.find("fox")
              << " npos? " << (s.find("cat") == std::string::npos) << std::endl;
    std::cout << "substr: [" << s.substr(4, 8) << "] upper: ";
    std::string up = s;
    std::transform(up.begin(), up.end(), up.begin(), [](unsigned char c) { return std::toupper(c); });
    std::cout << up << std::endl;
    std::cout << "stoi=" << std::stoi("  -123abc") << " stol=" << std::stol("ff", nullptr, 16)
              << " stod=" << std::stod("2.5e3") << " to_string=" << std::to_string(-7) << ","
              << std::to_string(1.5) << std::endl;
    std::string big(100000, 'x');
    big[50000] = 'y';
    std::cout << "big string find(y)=" << big.find('y') << " compare: " << (std::string("abc") < "abd") << std::endl;

    std::vector<int> v;
    for (int i = 0; i < 1000; i++)
        v.push_back((i * 7919) % 1000);
    std::sort(v.begin(), v.end());
    std::cout << "vector: size=" << v.size() << " front=" << v.front() << " back=" << v.back()
              << " sum=" << std::accumulate(v.begin(), v.end(), 0L)
              << " lower_bound(500) index=" << (std::lower_bound(v.begin(), v.end(), 500) - v.begin()) << std::endl;
    v.erase(std::remove_if(v.begin(), v.end(), [](int x) { return x % 3 != 0; }), v.end());
    std::cout << "multiples of 3 kept: " << v.size() << ", first five:";
    for (int i = 0; i < 5; i++)
        std::cout << ' ' << v[i];
    std::cout << std::endl;
    std::vector<std::string> words = {"delta", "alpha", "charlie", "bravo", "echo", "alpha"};
    std::stable_sort(words.begin(), words.end(),
                     [](const std::string &a, const std::string &b) { return a.size() < b.size(); });
    for (const auto &w : words)
        std::cout << w << ' ';
    std::cout << std::endl;
    words.erase(std::unique(words.begin(), words.end()), words.end());
    std::reverse(words.begin(), words.end());
    std::cout << "reversed unique: " << words.size() << " " << words.front() << std::endl;

    std::map<std::string, int> counts;
    std::istringstream in("the cat and the dog and the bird");
    std::string w;
    while (in >> w)
        counts[w]++;
    for (const auto &[k, c] : counts)
        std::cout << k << '=' << c << ' ';
    std::cout << std::endl;

    std::unordered_map<int, std::string> um;
    for (int i = 0; i < 5000; i++)
        um[i * 31 % 5003] = std::to_string(i);
    std::vector<std::pair<int, std::string>> items(um.begin(), um.end());
    std::sort(items.begin(), items.end());
    std::cout << "unordered_map size=" << um.size() << " first=" << items.front().first << ':'
              << items.front().second << " last=" << items.back().first << ':' << items.back().second
              << " count(62)=" << um.count(62) << std::endl;
    um.erase(62);
    std::cout << "after erase count(62)=" << um.count(62) << std::endl;

    std::set<int> st = {5, 1, 9, 1, 3};
    std::cout << "set:";
    for (int x : st)
        std::cout << ' ' << x;
    std::cout << " contains 9: " << (st.count(9) == 1) << std::endl;

    std::deque<int> dq;
    for (int i = 0; i < 10; i++) {
        if (i % 2)
            dq.push_front(i);
        else
            dq.push_back(i);
    }
    std::list<int> lst(dq.begin(), dq.end());
    lst.sort();
    std::cout << "deque:";
    for (int x : dq)
        std::cout << ' ' << x;
    std::cout << " | sorted list:";
    for (int x : lst)
        std::cout << ' ' << x;
    std::cout << std::endl;

    std::ostringstream os;
    os << std::setw(5) << 12 << "|" << std::setprecision(4) << 2.0 / 3 << "|" << std::hex << 48879;
    std::cout << "ostringstream: [" << os.str() << "]" << std::endl;

    auto sp = std::make_shared<std::vector<int>>(3, 9);
    std::shared_ptr<std::vector<int>> sp2 = sp;
    std::unique_ptr<int[]> arr(new int[4]{1, 2, 3, 4});
    std::cout << "shared use_count=" << sp.use_count() << " size=" << sp2->size() << " unique arr[3]=" << arr[3]
              << std::endl;
    sp2.reset();
    std::cout << "after reset use_count=" << sp.use_count() << std::endl;
    return 0;
}
