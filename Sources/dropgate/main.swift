print("dropgate")
