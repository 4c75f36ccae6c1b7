"""kivy_client"""
