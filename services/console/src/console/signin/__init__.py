"""signin"""
