using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Execution;

/// <summary>
/// Data movement by a precomputed map: output[i] = input0[map[i]], or a fill value where map[i] &lt; 0.
/// Serves Transpose, Gather (constant indices), Pad: any element type, one obviously-correct loop.
/// </summary>
public sealed class IndexMapKernel(int[] map) : Kernel
{
    public override void Run(Tensor?[] inputs, Tensor[] outputs) => Apply(inputs[0]!.Data, outputs[0].Data, map, null);

    public static void Apply(Array source, Array destination, int[] map, object? fill)
    {
        // Switch on the exact array type: the runtime lets a byte[] pass as sbyte[] in type patterns.
        switch (destination.GetType().GetElementType()!.Name)
        {
            case "Single": Typed((float[])source, (float[])destination, map, fill is null ? 0f : Convert.ToSingle(fill, System.Globalization.CultureInfo.InvariantCulture)); break;
            case "Double": Typed((double[])source, (double[])destination, map, fill is null ? 0d : Convert.ToDouble(fill, System.Globalization.CultureInfo.InvariantCulture)); break;
            case "Int64": Typed((long[])source, (long[])destination, map, fill is null ? 0L : Convert.ToInt64(fill, System.Globalization.CultureInfo.InvariantCulture)); break;
            case "Int32": Typed((int[])source, (int[])destination, map, fill is null ? 0 : Convert.ToInt32(fill, System.Globalization.CultureInfo.InvariantCulture)); break;
            case "SByte": Typed((sbyte[])source, (sbyte[])destination, map, fill is null ? (sbyte)0 : Convert.ToSByte(fill, System.Globalization.CultureInfo.InvariantCulture)); break;
            case "Byte": Typed((byte[])source, (byte[])destination, map, fill is null ? (byte)0 : Convert.ToByte(fill, System.Globalization.CultureInfo.InvariantCulture)); break;
            case "Boolean": Typed((bool[])source, (bool[])destination, map, fill is not null && Convert.ToBoolean(fill, System.Globalization.CultureInfo.InvariantCulture)); break;
            default: throw new InvalidOperationException($"no storage {destination.GetType().Name}");
        }
    }

    private static void Typed<T>(T[] s, T[] d, int[] map, T fill)
    {
        for (int i = 0; i < map.Length; i++) d[i] = map[i] >= 0 ? s[map[i]] : fill;
    }

    /// <summary>Row-major strides of <paramref name="dims"/>.</summary>
    public static int[] Strides(int[] dims)
    {
        var s = new int[dims.Length];
        int acc = 1;
        for (int k = dims.Length - 1; k >= 0; k--) { s[k] = acc; acc *= dims[k]; }
        return s;
    }

    /// <summary>Builds a map by visiting every output index in row-major order.</summary>
    public static int[] Build(int[] outDims, Func<int[], int> sourceOf)
    {
        long n = 1;
        foreach (var d in outDims) n *= d;
        var map = new int[n];
        var index = new int[outDims.Length];
        for (int i = 0; i < map.Length; i++)
        {
            map[i] = sourceOf(index);
            for (int k = outDims.Length - 1; k >= 0; k--)
            {
                if (++index[k] < outDims[k]) break;
                index[k] = 0;
            }
        }
        return map;
    }
}
