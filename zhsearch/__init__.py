"""zhsearch"""
