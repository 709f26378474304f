module mvvmtest

go 1.19
